"""A tiny viewflow flow with a timer node, for bench/escalation.py to measure viewflow's ``fire_due_timers`` beside
the deadline sweep. Bench-only: installed by ``timerbench.settings`` (the bench's settings), never by the product's."""
