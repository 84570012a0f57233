"""Helpers for the course *Fitting models by optimization*.

One job per module: ``data`` (seeded generators and shipped data sets), ``models`` (losses written
with ``autograd.numpy``), ``closed_form``, ``optim`` (our optimizers and recorded scipy runs),
``plotting`` (landscapes and paths), ``widgets`` (the explorers), ``exercises`` (checkers with
hints). Import the module you need: ``from course_utils import models``.
"""

__version__ = "0.1.0"
