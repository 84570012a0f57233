"""Interactive explorers for the notebooks: sliders wired to the course's plotting functions.

- :class:`LandscapeExplorer`: move the start, the learning rate, the steps and the optimizer over
  any two-parameter loss and watch the path, the loss per iteration and how the run ended.
- :class:`FitByEye`: move mu and sigma of a normal density over a histogram; read the NLL.
- :class:`GridExplorer`: a grid search over (mu, sigma), its best cell and its error.

Each explorer is an ``ipywidgets.VBox``: the last expression of a cell shows it. The figure is a
live ipympl canvas embedded in the box, so notebooks keep ``%matplotlib inline`` for their static
figures. Drawing is done by :func:`course_utils.plotting.plot_run` and friends; the widgets only
wire controls to them. Introduced in notebook 01.
"""

from course_utils.widgets.explorer import LandscapeExplorer
from course_utils.widgets.fit import FitByEye
from course_utils.widgets.grid import GridExplorer

__all__ = ["LandscapeExplorer", "FitByEye", "GridExplorer"]
