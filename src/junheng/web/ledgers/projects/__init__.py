"""攻坚作战一览表: projects with milestones, late flags and the 一票否决 flag (docs/ledgers.md)."""
