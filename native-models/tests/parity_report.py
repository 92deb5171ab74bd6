"""Max abs differences collected by the tests and printed at the end of the pytest run."""
REPORT = {}
