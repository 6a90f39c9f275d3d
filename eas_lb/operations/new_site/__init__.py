"""`eas-lb new-site DIR`: a site as its own repository, using the installed `eas_lb`."""
