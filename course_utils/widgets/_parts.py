"""Parts shared by the explorers: the live canvas, labelled controls, the status line."""

from __future__ import annotations

import collections
import contextlib
import html
import itertools
import math
import re
import struct
import warnings
import weakref
import zlib

import ipywidgets as w
import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text

from course_utils.plotting import nice_ceiling


def _import_ipympl():
    """ipympl's canvas classes, without the backend switch that ``import ipympl`` performs.

    ``ipympl/__init__.py`` calls ``matplotlib.use("module://ipympl.backend_nbagg")`` when
    matplotlib is loaded: every later ``plt.subplots()`` of a notebook on ``%matplotlib inline``
    would become a live widget (and pyplot would close the open figures). The explorers embed
    their own canvases and need no backend, so the switch is skipped.
    """
    real_use = matplotlib.use
    matplotlib.use = lambda *args, **kwargs: None
    try:
        from ipympl.backend_nbagg import Canvas, FigureManager
    finally:
        matplotlib.use = real_use
    return Canvas, FigureManager


Canvas, FigureManager = _import_ipympl()

_FIGURE_NUMBERS = itertools.count(1)
_GREEK = {
    "mu": "μ", "sigma": "σ", "beta": "β", "theta": "θ", "alpha": "α", "lambda": "λ",
    "log": "log ", "omega": "ω", "phi": "φ", "tau": "τ",
}
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_STYLE = {"description_width": "9em"}
_KEEP = 4  # backgrounds kept (e.g. both colour scales at two step ranges): about 1.3 MB each
_WIDE = w.Layout(width="26em")
#: width of every explorer's figure, in inches at :data:`FIG_DPI`: 580 px, inside the ~590 px
#: output area of JupyterLab on a 1024 px wide screen with the file browser open
FIG_WIDTH, FIG_DPI = 5.8, 100


def plain(name: str) -> str:
    """A LaTeX parameter name as plain text for a control's label: ``$\\log\\sigma$`` -> ``log σ``."""
    text = str(name).replace("$", "")
    text = re.sub(r"\\([A-Za-z]+)", lambda m: _GREEK.get(m.group(1), m.group(1)), text)
    text = re.sub(r"_\{?(\d+)\}?", lambda m: m.group(1).translate(_SUBSCRIPTS), text)
    text = re.sub(r"\^\{?(\d+)\}?", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    text = re.sub(r"[_^]\{([^}]*)\}", r"\1", text).replace("{", "").replace("}", "")
    text = re.sub(r"[_^]", "", text)
    return re.sub(r"\s+", " ", text).strip()


class CachedFigure(Figure):
    """A Figure that keeps its still parts as one image and redraws only the moving artists.

    Every ``draw`` is a full draw as far as the canvas knows, but the landscape, ticks, labels,
    legend and colour bar are rendered only when something they depend on changed (axis limits,
    scales, size, dpi, or :meth:`invalidate`); otherwise the saved pixels are restored and the
    artists registered with :meth:`set_dynamic` are drawn over them. The pixels are the same.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._dynamic: list = []
        self._version = 0
        self._backgrounds: collections.OrderedDict = collections.OrderedDict()
        #: called at each draw: what, besides limits and size, the still parts depend on
        self.background_state = lambda: None

    def set_dynamic(self, artists) -> None:
        """The artists that change between draws (lines, markers, titles), in drawing order."""
        self._dynamic = sorted(artists, key=lambda a: a.get_zorder())

    def invalidate(self) -> None:
        """Render the still parts again at the next draw (after changing them by hand)."""
        self._version += 1
        self._backgrounds.clear()

    def _key(self, renderer):
        axes = tuple((ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(),
                      ax.get_visible()) for ax in self.axes)
        return (renderer.width, renderer.height, self.dpi, self._version,
                self.background_state(), axes)

    def draw(self, renderer):
        from matplotlib.backend_bases import DrawEvent
        from matplotlib.backends.backend_agg import RendererAgg

        if (not self._dynamic or not isinstance(renderer, RendererAgg) or not self.get_visible()
                or "draw_path" in vars(renderer)):  # a layout pass with drawing disabled
            return super().draw(renderer)
        key = self._key(renderer)
        background = self._backgrounds.get(key)
        if background is None:
            # hidden for the background pass; texts are emptied instead, because an invisible
            # title confuses matplotlib's automatic title placement
            saved = [a.get_text() if isinstance(a, Text) else a.get_visible()
                     for a in self._dynamic]
            for a in self._dynamic:
                a.set_text("") if isinstance(a, Text) else a.set_visible(False)
            try:
                with _no_draw_event(self):
                    super().draw(renderer)
            finally:
                for a, value in zip(self._dynamic, saved, strict=True):
                    a.set_text(value) if isinstance(a, Text) else a.set_visible(value)
            self._backgrounds[key] = renderer.copy_from_bbox(self.bbox)
            while len(self._backgrounds) > _KEEP:
                self._backgrounds.popitem(last=False)
        else:
            self._backgrounds.move_to_end(key)
            renderer.restore_region(background)
        for a in self._dynamic:
            if a.get_visible() and (a.axes is None or a.axes.get_visible()):
                a.draw(renderer)
        self.stale = False
        DrawEvent("draw_event", self.canvas, renderer)._process()


@contextlib.contextmanager
def _no_draw_event(fig):
    """Silence the draw event of the background pass (one event per draw, after it)."""
    callbacks = fig.canvas.callbacks
    saved = callbacks.callbacks.get("draw_event")
    if saved is not None:
        callbacks.callbacks["draw_event"] = {}
    try:
        yield
    finally:
        if saved is not None:
            callbacks.callbacks["draw_event"] = saved


class LiveCanvas(Canvas):
    """ipympl's canvas, announced to the browser only once it has a picture and a size.

    The browser's canvas model reads its first image when it is created; a canvas opened empty
    (the usual order when a canvas sits inside a box) fails to draw in JupyterLab ("broken"
    image, a 0 x 0 canvas). So the comm opens in :meth:`go_live`, after the first render.
    """

    _live = False

    def open(self):
        if self._live:
            super().open()

    def _handle_message(self, object, content, buffers):
        super()._handle_message(object, content, buffers)
        if content.get("type") == "initialized":
            # JupyterLab's first view of the canvas keeps ipympl's default resizable=True
            # although the state it was opened with says False (a resize triangle that does
            # nothing): say it again now that the view listens
            self.send_state(["resizable"])

    def get_diff_image(self):
        """The next frame for the browser, as ipympl makes it, with a faster PNG encoding.

        Same frames as matplotlib's ``FigureCanvasWebAggCore.get_diff_image``: the whole picture
        after a resize or refresh (or when a pixel is transparent), else a "diff" in which the
        unchanged pixels are zero. Only the encoding differs: :func:`encode_png` at zlib level 1
        instead of Pillow's default level 6, several times faster on these mostly-zero frames.
        """
        if not self._png_is_old:
            return None
        pixels = np.asarray(self.get_renderer().buffer_rgba())
        buff = pixels.view(np.uint32).squeeze(2)
        if (self._force_full or buff.shape != self._last_buff.shape
                or (pixels[:, :, 3] != 255).any()):
            self.set_image_mode("full")
            output = buff
        else:
            self.set_image_mode("diff")
            output = np.where(buff != self._last_buff, buff, 0)
        self._last_buff = buff.copy()
        self._force_full = False
        self._png_is_old = False
        return encode_png(output.view(np.uint8).reshape((*output.shape, 4)))

    def go_live(self) -> None:
        """Fix the layout, render the picture (and size) the browser starts from, open the comm.

        The constrained layout is computed once, with every artist in place, then frozen: the
        axes keep their positions whatever the titles or limits do later, so saved backgrounds
        stay valid and nothing jumps while a slider moves.
        """
        fig = self.figure
        engine = fig.get_layout_engine()
        if isinstance(engine, ConstrainedLayoutEngine):
            engine.execute(fig)
            engine.execute(fig)
            fig.set_layout_engine("none")
        self._repr_mimebundle_()  # what ipympl does when it displays a canvas: _data_url, _size
        self._live = True
        self.open()


def encode_png(rgba: np.ndarray) -> bytes:
    """An RGBA image (``(h, w, 4)`` uint8) as PNG bytes, written for speed: no row filter, zlib 1.

    The explorers' frames are mostly zeros (ipympl's diff frames keep only the changed pixels),
    which zlib at level 1 squeezes as well as anything. Pillow, which matplotlib already needs,
    cannot switch off PNG's per-row filter search, and at its fastest level (1) it still takes
    3-5 times longer on these frames than this writer (on the 2-core course machine ~8 ms against
    ~2 ms for a 780 x 350 frame). The container is three chunks (IHDR, IDAT, IEND) around the
    standard library's zlib; the pixels are exactly the same (PNG is lossless) and the tests
    decode the result with Pillow.
    """
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    h, width, _ = rgba.shape
    rows = np.zeros((h, 1 + 4 * width), dtype=np.uint8)  # first byte of each row: filter 0
    rows[:, 1:] = rgba.reshape(h, 4 * width)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, h, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


def make_canvas(figsize):
    """A Figure on its own ipympl canvas (no pyplot: nothing is shown twice or by accident).

    Draw, then call ``canvas.go_live()`` before putting the canvas in a box.
    """
    fig = CachedFigure(figsize=figsize, dpi=FIG_DPI, layout="constrained")
    canvas = LiveCanvas(fig)
    with warnings.catch_warnings():
        # ipympl's Toolbar passes its canvas up to traitlets (ipympl 0.10, traitlets 5): harmless
        warnings.filterwarnings("ignore", message="Passing unrecognized arguments to super",
                                category=DeprecationWarning)
        FigureManager(canvas, next(_FIGURE_NUMBERS))
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    canvas.capture_scroll = False
    return fig, canvas


def large_type() -> bool:
    """True under a style with large type (the lecture style): the explorers stack their panels."""
    return float(matplotlib.rcParams["font.size"]) >= 14


def make_panels(*, height: float, stacked_heights: tuple[float, float],
                width_ratios: tuple[float, float]):
    """An explorer's figure, :data:`FIG_WIDTH` inches wide, with two panels: ``fig, canvas, axes``.

    Side by side (``height`` inches high) in the everyday style; one above the other
    (``stacked_heights``) under large type, where two panels side by side would not fit the
    width. The width fits the output area of JupyterLab on a 1024 px wide laptop screen with
    the file browser open (about 590 px).
    """
    if large_type():
        fig, canvas = make_canvas((FIG_WIDTH, sum(stacked_heights)))
        axes = fig.subplots(2, 1, height_ratios=stacked_heights)
    else:
        fig, canvas = make_canvas((FIG_WIDTH, height))
        axes = fig.subplots(1, 2, width_ratios=width_ratios)
    return fig, canvas, tuple(axes)


def figure_legend(fig, handles, labels=None):
    """A legend in the figure's bottom margin (one row, or two when one is too wide): it never
    covers the path, its end or the star, and, as nothing in it moves, it is drawn once with the
    still parts of the figure."""
    kw = {} if labels is None else {"labels": labels}
    for ncols in (len(handles), math.ceil(len(handles) / 2)):  # two rows if one is too wide
        legend = fig.legend(handles=handles, loc="outside lower center", ncols=ncols,
                            fontsize="small", frameon=False, markerscale=0.8, handlelength=1.5,
                            columnspacing=1.0, handletextpad=0.4, **kw)
        if legend.get_window_extent(fig.canvas.get_renderer()).width <= 0.97 * fig.bbox.width:
            break
        legend.remove()
    return legend


def snap(slider, value: float) -> float:
    """``value`` clamped to ``slider``'s range and rounded to its steps, as the browser would.

    Setting a slider to a value off its grid makes the browser send back the rounded value: a
    second run for one click.
    """
    lo, hi, step = float(slider.min), float(slider.max), float(slider.step)
    value = min(max(float(value), lo), hi)
    value = round(lo + round((value - lo) / step) * step, _digits(step) + 2)
    return min(max(value, lo), hi)


def fmt_near(value: float, scale: float) -> str:
    """:func:`fmt`, with values below a billionth of ``scale`` (rounding noise) shown as 0."""
    return fmt(0.0 if abs(value) < 1e-9 * abs(scale) else value)


def _texts(fig, renderer):
    """(label, bbox) of every text the figure shows: titles, labels, tick labels in view, legends."""
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis._update_ticks():  # the ticks inside the view, as drawn
                for label in (tick.label1, tick.label2):
                    if label.get_visible() and label.get_text():
                        out.append((f"tick label {label.get_text()!r}",
                                    label.get_window_extent(renderer)))
            if axis.label.get_visible() and axis.label.get_text():
                out.append((f"axis label {axis.label.get_text()!r}",
                            axis.label.get_window_extent(renderer)))
        for text in ax.texts:  # notes inside a panel must stay inside it
            if text.get_visible() and text.get_text():
                b = text.get_window_extent(renderer)
                if not ax.bbox.padded(1).contains(b.x0, b.y0) or not ax.bbox.padded(1).contains(
                        b.x1, b.y1):
                    out.append((f"note {text.get_text()!r} (outside its panel)", b))
                else:
                    out.append((f"note {text.get_text()!r}", b))
        for title in (ax.title, ax._left_title, ax._right_title):
            if title.get_visible() and title.get_text():
                out.append((f"title {title.get_text()!r}", title.get_window_extent(renderer)))
    for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes)]:
        if legend is not None and legend.get_visible():
            out.append(("legend", legend.get_window_extent(renderer)))
    return out


def layout_problems(fig) -> list[str]:
    """What a reader would find wrong with the figure's layout, as sentences (empty: none).

    A text cut by the figure's edge (a title, an axis or tick label, a legend), and texts of
    different roles that overlap (two y-labels that collide, a title running into a tick label).
    """
    renderer = fig.canvas.get_renderer()
    fig.draw_without_rendering()
    box = fig.bbox
    texts = _texts(fig, renderer)
    problems = []
    for name, b in texts:
        if b.x0 < box.x0 - 1 or b.x1 > box.x1 + 1 or b.y0 < box.y0 - 1 or b.y1 > box.y1 + 1:
            problems.append(f"{name} is cut by the figure's edge")
        elif name.endswith("(outside its panel)"):
            problems.append(f"{name.removesuffix(' (outside its panel)')} runs out of its panel")
    for i, (name_a, a) in enumerate(texts):
        for name_b, b in texts[i + 1:]:
            # a text's box includes the blank space above and below its letters: two boxes
            # collide when they overlap by more than a quarter of a line both ways
            tol = 0.25 * min(a.height, b.height, a.width, b.width)
            if (min(a.x1, b.x1) - max(a.x0, b.x0) > tol
                    and min(a.y1, b.y1) - max(a.y0, b.y0) > tol):
                problems.append(f"{name_a} overlaps {name_b}")
    return problems


def nice_step(span: float, parts: int = 200) -> float:
    """1, 2, 2.5 or 5 times a power of ten, near ``span / parts``: slider values stay round."""
    return nice_ceiling(span / parts, rtol=1e-3)


def _digits(step: float) -> int:
    return int(min(12, max(0, math.ceil(-math.log10(step) + 1e-9) + 1)))


def on_grid(value: float, step: float) -> float:
    """``value`` rounded to a multiple of ``step`` (what a browser slider would do)."""
    return round(round(value / step) * step, _digits(step) + 2)


def slider_range(lo: float, hi: float, parts: int = 200, *, positive: bool = False):
    """(min, max, step) of a slider covering [lo, hi] with round values on its grid.

    ``positive``: the range starts at one step at least, never at 0 (a standard deviation, say,
    whose lowest value would otherwise round down to 0).
    """
    step = nice_step(hi - lo, parts)
    d = _digits(step) + 2
    vmin = round(math.floor(lo / step + 1e-9) * step, d)
    if positive and vmin <= 0:
        vmin = step
    return vmin, round(math.ceil(hi / step - 1e-9) * step, d), step


def float_slider(description: str, value: float, lo: float, hi: float, *, tooltip: str = "",
                 positive: bool = False):
    """A labelled float slider over [lo, hi] (about 200 round steps); ``value`` on its grid.

    ``positive``: every value of the slider is > 0 (see :func:`slider_range`).
    """
    vmin, vmax, step = slider_range(lo, hi, positive=positive)
    return w.FloatSlider(value=min(max(on_grid(value, step), vmin), vmax), min=vmin, max=vmax,
                         step=step, description=description,
                         readout_format=f".{max(0, _digits(step) - 1)}f",
                         continuous_update=True, style=_STYLE, layout=_WIDE,
                         tooltip=tooltip or description)


def log_slider(description: str, value: float, lo: float, hi: float, *, step: float = 0.05):
    """A labelled log-scale slider over about [lo, hi] whose grid of exponents holds ``value``."""
    e = math.log10(value)
    emin = e - step * round((e - math.log10(lo)) / step)
    emax = e + step * round((math.log10(hi) - e) / step)
    return w.FloatLogSlider(value=value, base=10, min=emin, max=emax, step=step,
                            description=description, readout_format=".3g", style=_STYLE,
                            layout=_WIDE, tooltip=description)


def status_label(text: str = "") -> w.Label:
    """A one-line plain-text status (what a screen reader and the tests read)."""
    return w.Label(value=text, layout=w.Layout(width="auto"))


class Readout(w.HTML):
    """A wrapping plain-text read-out: ``value`` is the text (escaped for the browser)."""

    def __init__(self, text: str = ""):
        super().__init__(value=html.escape(text, quote=False),
                         layout=w.Layout(width="auto", max_width="60em"))

    @property
    def text(self) -> str:
        """The read-out as plain text."""
        return html.unescape(self.value)

    @text.setter
    def text(self, text: str) -> None:
        self.value = html.escape(text, quote=False)


def fmt(value: float) -> str:
    """A number for a read-out: 4 significant digits, no noise."""
    return f"{float(value):.4g}"


def fmt_point(names, point) -> str:
    """``μ = 0.01, σ = 0.99`` for a read-out."""
    return ", ".join(f"{n} = {fmt(p)}" for n, p in zip(names, point, strict=True))


_PANELS: weakref.WeakSet = weakref.WeakSet()
_PANEL_NUMBERS = itertools.count()


def live_panels() -> list:
    """The explorers made in this kernel and still alive (the browser test checks their layout)."""
    return sorted(_PANELS, key=lambda p: p._order)


class Panel(w.VBox):
    """An ipywidgets box that batches control changes into one update.

    Subclasses build controls and figure, call :meth:`update` once, then ``canvas.go_live()``,
    then ``Panel.__init__`` with their children, then observe their controls.
    """

    _batch_depth = 0
    #: how many times the figure was redrawn for a change (one per change, however it came)
    frames = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._order = next(_PANEL_NUMBERS)
        _PANELS.add(self)

    @contextlib.contextmanager
    def batch(self):
        """Set several controls, update once at the end."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
        if self._batch_depth == 0:
            self.update()

    def _on_change(self, change) -> None:
        if self._batch_depth == 0 and not negligible(change):
            self.update()

    def update(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _draw(self) -> None:
        """Draw the figure and send the new frame to the browser, in this kernel turn.

        ``draw_idle`` would ask the browser to ask back for the frame: a second round trip per
        change. Without a browser view (a script, a notebook run by nbconvert) nothing is
        drawn until someone looks.
        """
        canvas = self.fig.canvas
        self.frames += 1
        if getattr(canvas, "syncing_data_url", True):  # no front end has shown the canvas
            canvas.draw_idle()
        else:
            canvas.draw()


def negligible(change) -> bool:
    """True when a slider's value moved by less than a billionth of its step.

    A browser may hand back a value it rounded (-0.7000000000000001 for -0.7): no new run.
    """
    owner, old, new = change.get("owner"), change.get("old"), change.get("new")
    step = getattr(owner, "step", None)
    if not isinstance(step, (int, float)) or isinstance(owner, w.IntSlider) or step <= 0:
        return False
    try:
        old = np.atleast_1d(np.asarray(old, dtype=float))
        new = np.atleast_1d(np.asarray(new, dtype=float))
        if isinstance(owner, w.FloatLogSlider):  # the step is one of the exponent
            old, new = np.log(old) / np.log(owner.base), np.log(new) / np.log(owner.base)
    except (TypeError, ValueError):
        return False
    with np.errstate(invalid="ignore"):
        return bool(old.shape == new.shape and np.all(np.abs(new - old) < 1e-9 * step))
