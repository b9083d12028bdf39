"""One function per job a user does; the CLI and the web call these and present the result."""
