"""Sources of the illustrative sample database, shipped inside the package as congress.sample."""
