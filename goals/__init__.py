"""Customer goals: what each simulated dialogue is about (``dialogsim.goals``).

``Goal`` (goal.py) is the customer's script, ``SimulationConfig`` (config.py) the pattern
weights a user sets, ``GoalSampler`` (sampler.py) draws goals by generalising the sample
dialogues over the API dependency graph.
"""

from dialogsim.goals.config import PROBABILITIES, SimulationConfig
from dialogsim.goals.goal import Behaviour, Goal, Moment, Revision

__all__ = ["Behaviour", "Goal", "Moment", "Revision", "SimulationConfig", "PROBABILITIES"]
