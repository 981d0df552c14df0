"""Layout what-ifs (``junheng whatif``): a scenario file of merges, closed teaching points, moved
sections and new schools, applied to the school table and re-assessed by the unchanged engine.
docs/whatif.md."""
from .apply import WhatIfResult, apply_scenario, haversine_km, run_whatif
from .scenario import Scenario, load_scenario

__all__ = ["Scenario", "WhatIfResult", "apply_scenario", "haversine_km", "load_scenario", "run_whatif"]
