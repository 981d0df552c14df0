"""填平补齐: the planner behind ``junheng plan`` (docs/plan.md).

items.py (the decisions), costs.py (unit costs and limits as validated TOML), model.py (the
physical model: the engine's own split of every decision between units), solve.py (the MILP, HiGHS),
cone.py (the CV cones, Clarabel), diagnose.py (what blocks an infeasible target), verify.py (the
proof: apply the actions and assess again with the unchanged engine). Pure; shells in plan/output/.
"""
