"""pools.txt parsing benchmark: one row with many server IPs must cost linear time.

Run: `python bench/bench_pools_parse.py`. Parses a row of N server addresses for growing N and
prints the time per address and the ratio of each time to the previous one (4x the addresses:
a ratio near 4 is linear, near 16 would be quadratic). Nothing is asserted.
"""

from __future__ import annotations

import ipaddress
import time

from eas_lb.inputs.pools import parse_pools


def _row_file(count: int) -> str:
    servers = " ".join(str(ipaddress.IPv4Address(0x0A000000 + n)) for n in range(count))
    return f"# MANAGEMENT\nBIG 10.255.0.1 tcp 80 0 {servers}\n"


def main() -> None:
    previous: float | None = None
    print(f"{'server IPs in one row':>22} {'parse':>10} {'per IP':>10} {'x previous':>11}")
    for count in (1_000, 4_000, 16_000, 64_000):
        text = _row_file(count)
        best = min(_timed(text) for _ in range(3))
        ratio = f"{best / previous:10.1f}x" if previous else f"{'':>11}"
        print(f"{count:>22,} {best * 1000:8.1f} ms {best / count * 1e6:7.2f} µs {ratio}")
        previous = best


def _timed(text: str) -> float:
    started = time.perf_counter()
    parse_pools(text)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
