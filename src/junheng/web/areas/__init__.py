"""Areas (province / city / county / township), schools, accounts and roles, and the scoping layer."""
