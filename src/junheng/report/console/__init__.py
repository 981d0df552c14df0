"""Screen output of the CLI (rich): the assessment and the county checks."""
