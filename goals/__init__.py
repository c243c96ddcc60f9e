"""Customer goals: what each simulated dialogue is about (``dialogsim.goals``).

``GoalSampler`` (sampler.py) draws a ``dialogsim.goal.Goal`` -- the customer's script, a
core value -- by generalising the sample dialogues over the API dependency graph, with the
pattern weights of ``dialogsim.config.SimulationConfig``.
"""

from dialogsim._layout import require_name

require_name(__name__, "dialogsim.goals")

from dialogsim.goals.sampler import GoalSampler, path_key

__all__ = ["GoalSampler", "path_key"]
