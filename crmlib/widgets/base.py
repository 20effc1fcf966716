"""The base of every explorer (小工具的基础): checked controls, the recompute–describe–redraw cycle.

An explorer is an ``ipywidgets.VBox``: controls on top, a one-line verdict (``.text``), then the
figure (``.output``). Changing a control recomputes ``.result`` through a crmlib function, rewrites
the verdict and redraws. The logic runs without a browser: set a control's ``.value`` and read
``.result`` / ``.text.value``.

Speed (what a student feels when a slider moves):

* each explorer draws into **one** matplotlib ``Figure`` of a fixed size that it keeps and redraws
  (no pyplot figure to make and close), rendered **once** into a PNG (``bbox_inches="tight"``
  rendered it twice; RGB, zlib level 1). The layout (tight layout) is fitted at the first drawing
  and kept while it still fits: a drawing whose ink reaches the edge of the figure (a label cut
  off) or leaves a margin much wider than the layout's padding is fitted again and rendered a
  second time (the margins are read from the edges of the rendering inward, not pixel by pixel);
* the Axes is cleared and drawn under the plots' fonts (its new ticks need no rebuilding for the
  CJK fallback) and with the title at the top of the Axes, where matplotlib would place it unless
  something is in the way (then, only then, the drawing is rendered again with the title placed);
* an explorer that sets ``keep`` remembers its last ``keep`` results, keyed by the controls that
  ``compute()`` reads (:meth:`Explorer.compute_key`), and the figures drawn from them, keyed also by
  the controls that only the figure reads (:meth:`Explorer.draw_key`): a control that changes
  neither the result nor the figure (a segment picked for the verdict line) redraws nothing, and
  going back to an earlier setting shows the kept figure;
* a redrawing lends the ticks of the last drawing to the new one (:class:`_TickPool`: clearing
  the Axes threw 50–100 ticks away on log axes, and making them again was most of a rendering),
  places a ``loc="best"`` legend from one array of the dots, once per rendering
  (:func:`_quick_best`), and an explorer whose new setting only moves a few artists of an
  unchanged picture changes them in place (:meth:`Explorer.redraw`, e.g. :func:`_move_dots`)
  instead of clearing and drawing anew — every picture pixel for pixel the one a first drawing
  gives (``SHORTCUTS = False`` draws every figure as a first drawing; the tests compare the two);
* matplotlib and :mod:`crmlib.plots` are imported at the first drawing, the topic modules by the
  explorer that needs them: ``import crmlib.widgets`` stays light.

>>> class Twice(Explorer):
...     keep = 4
...     def controls(self):
...         self.x = _bounded(self, "x", W.IntSlider, 2, min=0, max=10)
...         return [self.x]
...     def compute(self):
...         return 2 * self.x.value
>>> e = Twice(draw=False)
>>> e.result, e.compute_key()
(4, (2,))
>>> e.x.value = 5; e.result
10
"""

from __future__ import annotations

import base64
import io
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError

#: size (inches) and resolution of every explorer's figure: 630 × 378 pixels
FIGSIZE = (7.0, 4.2)
DPI = 90
#: zlib level of the PNG sent to the page: 1 is several times faster than the default 6, for a
#: file a few per cent larger
PNG_COMPRESSION = 1
#: a kept layout still fits while every margin of the drawing (figure edge to the nearest ink) is
#: at least MARGIN_MIN pixels and at most MARGIN_MAX pixels (tight layout leaves ~13 at 90 dpi)
MARGIN_MIN, MARGIN_MAX = 2, 40
_NOTHING = object()


# A slider silently clamps a starting value outside its range, and a drop-down or text box refuses
# one with a raw traitlets.TraitError: the helpers below check the value first (naming the widget
# and the argument) and widen a slider to hold any value the library accepts (lead_days=20 shows
# 20, not 10). Whether the value makes sense is checked by the library function the widget calls.
def _bounded(
    owner: Any, field: str, slider: type, value: Any, min: float, max: float, grow: bool = False, **kw: Any
) -> W.Widget:
    """A slider starting at ``value``, which must lie in [min, max] — or, with ``grow`` (the slider
    shows a convenient part of what the library accepts), be at least ``min``: the range then grows
    to include it."""
    func = type(owner).__name__
    check = V.integer if slider is W.IntSlider else V.number
    v = check(value, func, field, min, None if grow else max)
    return slider(value=v, min=min, max=v if v > max else max, **kw)


def _option(owner: Any, field: str, value: Any, options: list, **kw: Any) -> W.Dropdown:
    """A drop-down starting at ``value``, which must be one of ``options`` (values, or
    ``(label, value)`` pairs)."""
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    V.choice(value, values, type(owner).__name__, field)
    return W.Dropdown(options=options, value=value, **kw)


def _text(owner: Any, field: str, widget: type, value: Any, **kw: Any) -> W.Widget:
    """A text box starting at ``value``, which must be text."""
    if not isinstance(value, str):
        raise CRMDataError(type(owner).__name__, field, f"must be text, got {value!r} ({type(value).__name__})")
    return widget(value=value, **kw)


def _tick(owner: Any, field: str, value: Any, **kw: Any) -> W.Checkbox:
    """A check box starting at ``value``, which must be True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise CRMDataError(type(owner).__name__, field, f"must be True or False, got {value!r}")
    return W.Checkbox(value=bool(value), **kw)


def _item(name: Any, n: Any, share: float | None = None, lang: str = "en") -> str:
    """One entry of a verdict's list, ``name: <b>n</b>`` (and ``(share)``), punctuated as ``lang``
    writes it (``名称：<b>n</b>（share）`` in Chinese).

    >>> _item("A", 3, 0.25), _item("重点发展", 3, 0.25, "zh")
    ('A: <b>3</b> (25%)', '重点发展：<b>3</b>（25%）')
    """
    if share is None:
        return i18n.text("w_item", lang, name=name, n=n)
    return i18n.text("w_item_share", lang, name=name, n=n, share=share)


def _hashable(value: Any) -> Hashable:
    return tuple(_hashable(v) for v in value) if isinstance(value, (list, tuple)) else value


def _lazy(module: str):
    """``crmlib.<module>``, imported on first use (the topic modules are not needed to import
    the widgets)."""
    import importlib

    return importlib.import_module(f"crmlib.{module}")


class Explorer(W.VBox):
    """Base class: subclasses define ``controls()``, ``compute()``, ``describe()`` and ``draw()``.

    ``keep`` (default 0: recompute on every change) is how many results the explorer remembers,
    keyed by :meth:`compute_key`; an explorer whose result depends on more than its controls and
    its fixed data (an archive that grows) keeps none.
    """

    #: results remembered, keyed by compute_key() (0: compute() on every change)
    keep = 0
    #: figures remembered (PNG bytes), keyed by compute_key() and draw_key(), when keep > 0
    keep_figures = 16

    def __init__(self, draw: bool = True, lang: str | None = None) -> None:
        self.lang = i18n.resolve(lang, type(self).__name__)
        self.draw_plots = draw
        self.text = W.HTML()
        self.output = W.Output()
        self.result: Any = None
        self._results: OrderedDict = OrderedDict()
        self._figures: OrderedDict = OrderedDict()
        self._key: Any = None
        self._shown: Any = _NOTHING
        self._fig = None
        self._fitted = False
        self._on_axes: Any = None
        ctrls = self.controls()
        self._controls = list(ctrls)
        super().__init__([W.HBox(ctrls, layout=W.Layout(flex_flow="row wrap")), self.text, self.output])
        for c in ctrls:
            c.observe(self._changed, names="value")
        self.update()

    # ------------------------------------------------------------------ what a subclass defines
    def controls(self) -> list[W.Widget]:  # pragma: no cover - abstract
        raise NotImplementedError

    def compute(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self, result: Any) -> str:
        return ""

    def draw(self, result: Any, ax) -> None:
        pass

    def compute_key(self) -> Hashable:
        """The values of the controls ``compute()`` reads (default: every control)."""
        return tuple(_hashable(c.value) for c in self._controls)

    def draw_key(self) -> Hashable:
        """The values of the controls the figure reads besides the result (default: every control)."""
        return tuple(_hashable(c.value) for c in self._controls)

    # ------------------------------------------------------------------ helpers for subclasses
    def say(self, key: str, **values: Any) -> str:
        """The sentence ``key`` of :data:`crmlib.i18n.TEXTS` in the explorer's language."""
        return i18n.text(key, self.lang, **values)

    def _remember(self, key: Hashable, result: Any) -> None:
        """Keep ``result`` as the one computed for ``key`` (a result the constructor already has)."""
        if self.keep:
            self._results[key] = result
            while len(self._results) > self.keep:
                self._results.popitem(last=False)

    # ------------------------------------------------------------------ the cycle
    def _changed(self, change) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the result from the controls (or take the kept one), rewrite the verdict and
        redraw (unless the figure shown is already the one of these settings)."""
        self.result = self._result()
        self.text.value = self.describe(self.result)
        if self.draw_plots:
            self._show()

    def _result(self) -> Any:
        if not self.keep:
            self._key = None
            return self.compute()
        key = self._key = self.compute_key()
        if key in self._results:
            self._results.move_to_end(key)
            return self._results[key]
        result = self.compute()
        self._remember(key, result)
        return result

    def _show(self) -> None:
        key = None if self._key is None else (self._key, self.draw_key())
        if key is not None and key == self._shown:
            return  # nothing the figure shows has changed
        png = self._figures.get(key) if key is not None else None
        if png is None:
            png = self.render(self.result)
            if key is not None:
                self._figures[key] = png
                while len(self._figures) > self.keep_figures:
                    self._figures.popitem(last=False)
        else:
            self._figures.move_to_end(key)
        # replace (never append) the figure; works in a kernel and headless alike
        self.output.outputs = (
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {
                    "image/png": base64.b64encode(png).decode("ascii"),
                    "text/plain": f"<{type(self).__name__} figure>",
                },
            },
        )
        self._shown = key

    @property
    def figure(self):
        """The explorer's matplotlib Figure (one Axes, redrawn by every drawing), made on first use."""
        if self._fig is None:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            i18n.use_fonts(self.lang)  # before the Axes and its title exist: their font must reach Chinese
            fig = Figure(figsize=FIGSIZE, dpi=DPI)
            FigureCanvasAgg(fig)
            fig.add_subplot()
            self._fig = fig
        return self._fig

    def redraw(self, last: Any, result: Any, ax) -> bool:
        """Change the drawing of ``last`` on ``ax`` in place so that it shows ``result`` (moved dots,
        cut lines) and say so (True), or leave it (False: the Axes is cleared and ``result`` drawn
        anew). An explorer defines it where a new setting moves a few artists of an unchanged
        picture; the picture must be, pixel for pixel, the one a drawing anew would give."""
        return False

    def render(self, result: Any) -> bytes:
        """Draw ``result`` on the explorer's Axes (cleared first, or the last drawing changed in
        place by :meth:`redraw`) and return the PNG."""
        import matplotlib as mpl

        fig = self.figure
        ax = fig.axes[0]
        extras = [*fig.axes[1:], *fig.texts, *fig.legends, *fig.images, *fig.lines, *fig.patches]
        for extra in fig.axes[1:]:  # a colour bar or inset of the last drawing
            fig.delaxes(extra)
        for artist in [*fig.texts, *fig.legends, *fig.images, *fig.lines, *fig.patches]:
            artist.remove()
        # Cleared, drawn and rendered under the fonts of the plots (crmlib.plots draw under the same):
        # the ticks that clear() makes already have them, so no plot has to rebuild its ticks.
        # The title sits at the top of the Axes (axes.titley = 1) instead of being placed anew at
        # every rendering, which measures the y tick labels once more; placing it would only raise
        # it above an offset text of the y axis (×1e6) under it, or ticks at the top: then the
        # drawing is rendered again with the title placed.
        rc = i18n.font_rc(self.lang, type(self).__name__)
        passes = [True] if mpl.rcParams["axes.titley"] is not None else [False, True]
        last, self._on_axes = self._on_axes, None
        for placed in passes:
            with mpl.rc_context(rc if placed else {**rc, "axes.titley": 1.0}):
                moved = (
                    SHORTCUTS and placed == passes[0] and last is not None and not extras
                    and self.redraw(last[0], result, ax)
                )  # fmt: skip
                pools = [] if moved else [_TickPool.of(axis) for axis in (ax.xaxis, ax.yaxis)]
                for pool in pools:
                    pool.keep()  # the ticks of the last drawing, lent to this one
                if not moved:
                    ax.clear()
                    self.draw(result, ax)
                anew = _quick_best(ax)
                if self._fitted:
                    anew()
                    fig.canvas.draw()
                if not self._fitted or not _fits(fig):
                    fig.tight_layout()
                    anew()
                    fig.canvas.draw()
                    self._fitted = _fits(fig)  # False: a drawing that never fits is fitted every time
                for pool in pools:
                    pool.drop()
            if placed or not _title_would_move(ax):
                break
        # what the Axes shows, for the next redraw (not after a drawing with its title placed)
        self._on_axes = (result,) if placed == passes[0] else None
        return _png(fig)


#: the shortcuts of a redrawing (ticks lent, the legend's place found faster, artists moved in
#: place); False draws every figure as a first drawing (for comparisons)
SHORTCUTS = True


def _move_dots(ax, before: Any, after: Any, cuts: list[tuple[str, Any, Any]]) -> bool:
    """Move the dots of a drawing made of one ``ax.scatter`` per class present (classes in order,
    as :func:`crmlib.plots` draws dots by class) from the classes ``before`` to ``after`` (two
    Categoricals or Series of them, one class per dot, the same categories), and its cut lines
    (``cuts``: ``("x", old, new)`` for an ``axvline`` at ``old``, ``("y", …)`` for an
    ``axhline``, in the order the Axes holds them) to the new places. True when done; False,
    with nothing changed, when that would not be the picture drawn anew: other classes present
    (another set of scatters and legend), dots without a class moved, a cut missing or outside
    the dots (it would widen the axes).
    """
    b, a = pd.Categorical(before), pd.Categorical(after)
    if list(b.categories) != list(a.categories) or len(b) != len(a):
        return False
    cb, ca = np.asarray(b.codes), np.asarray(a.codes)
    k = len(b.categories)
    present = np.flatnonzero(np.bincount(cb[cb >= 0], minlength=k))
    if not np.array_equal(present, np.flatnonzero(np.bincount(ca[ca >= 0], minlength=k))):
        return False
    if not np.array_equal(cb < 0, ca < 0) or len(ax.collections) != len(present):
        return False
    if len(ax.lines) != len(cuts) or any(old is None or new is None for _, old, new in cuts):
        return False
    lim = ax.dataLim
    for axis, old, new in cuts:
        lo, hi = sorted(lim.intervalx if axis == "x" else lim.intervaly)
        if not (lo <= old <= hi and lo <= new <= hi):
            return False
    offsets = [c.get_offsets() for c in ax.collections]
    if [len(o) for o in offsets] != [int((cb == i).sum()) for i in present]:
        return False
    stack = np.ma if any(isinstance(o, np.ma.MaskedArray) for o in offsets) else np
    dots = stack.zeros((len(cb), 2))
    for o, i in zip(offsets, present):
        dots[cb == i] = o
    for c, i in zip(ax.collections, present):
        c.set_offsets(dots[ca == i])
    for line, (axis, _, new) in zip(ax.lines, cuts):
        (line.set_xdata if axis == "x" else line.set_ydata)([new, new])
    return True


def _relimit(ax) -> None:
    """Make the data limits of ``ax`` again from the dots (collections) and lines it now holds, as a
    drawing anew makes them (``Axes.clear``, then ``add_collection``/``add_line`` each), and let the
    next rendering autoscale the view to them: for a redraw that moved dots to new places."""
    from matplotlib.transforms import Bbox

    ax.dataLim = Bbox.null()
    ax.ignore_existing_data_limits = True
    for c in ax.collections:  # as Axes.add_collection(autolim=True)
        lim = c.get_datalim(ax.transData)
        points = lim.get_points()
        if not np.isinf(lim.minpos).all():
            points = np.concatenate([points, [lim.minpos]])
        ax.update_datalim(points)
    for line in ax.lines:
        ax._update_line_limits(line)
    ax._request_autoscale_view()


class _TickPool:
    """The ticks of an Axis's last drawing, lent to the next drawing of the same Axis.

    ``Axes.clear()`` throws every ``Tick`` away and the next rendering makes them again, one at a
    time (three lines and two texts each; a log axis has some 50 minor ticks): that was the
    larger part of an explorer's rendering. matplotlib makes every tick but the first of a list
    as ``_get_tick()`` and then copies the first tick's properties onto it
    (``Axis._copy_tick_props``); the pool hands out a kept tick of the same kind (major or minor)
    instead of a new one, only while the tick keywords of the Axis (``tick_params``, grid) are
    those the kept ticks were drawn with — so a lent tick ends with the properties a new one
    would have. The first tick of each list (the one the others copy) is always new.
    """

    def __init__(self, axis) -> None:
        self.axis = axis
        self.make = axis._get_tick
        self.kept: dict[bool, list] = {True: [], False: []}
        self.kw: dict[bool, dict] = {True: {}, False: {}}
        self.copy_props = axis._copy_tick_props
        axis._get_tick = self.get
        axis._copy_tick_props = self.copy

    @classmethod
    def of(cls, axis) -> _TickPool:
        pool = axis.__dict__.get("_crmlib_ticks")
        if pool is None:
            pool = axis._crmlib_ticks = cls(axis)
        return pool

    def _kw(self, major: bool) -> dict:
        return self.axis._major_tick_kw if major else self.axis._minor_tick_kw

    def keep(self) -> None:
        """Keep the ticks the Axis has now (before it is cleared) and the keywords they have."""
        for major, name in ((True, "majorTicks"), (False, "minorTicks")):
            ticks = self.axis.__dict__.get(name) or []  # (not made if the list is still lazy)
            self.kept[major] = list(ticks[1:]) if SHORTCUTS else []
            self.kw[major] = dict(self._kw(major))

    def drop(self) -> None:
        """Forget the ticks not lent (the drawing needs fewer than the last one)."""
        self.kept = {True: [], False: []}

    def copy(self, src, dest) -> None:
        """matplotlib's copy of the first tick's properties onto another tick, with the markers of
        the tick lines made from their name (a tick mark: ``MarkerStyle(TICKDOWN)``) instead of
        deep copies of the first tick's markers, which is 5 times slower and gives the same
        marker; a marker a name does not describe (its own transform, cap or join style, or fill
        style) is copied as matplotlib does."""
        import matplotlib as mpl
        from matplotlib.markers import MarkerStyle

        named = []
        if SHORTCUTS and src is not None and dest is not None:
            fill = mpl.rcParams["markers.fillstyle"]
            for line in (src.tick1line, src.tick2line, src.gridline):
                m = line._marker
                spec = m.get_marker()
                plain = m._user_transform is None and m._user_capstyle is None and m._user_joinstyle is None
                if plain and isinstance(spec, (int, str)) and spec in MarkerStyle.markers and m._fillstyle == fill:
                    named.append((line, m))
                    line._marker = spec  # Line2D.update_from makes MarkerStyle(marker=spec) of it
        try:
            self.copy_props(src, dest)
        finally:
            for line, m in named:
                line._marker = m

    def get(self, major: bool):
        ticks = self.axis.__dict__.get("majorTicks" if major else "minorTicks")
        kept = self.kept[major]
        if ticks and kept and self._kw(major) == self.kw[major]:
            return kept.pop()  # matplotlib copies the first tick's properties onto it next
        return self.make(major)


def _quick_best(ax):
    """The legend of ``ax`` placed at ``loc="best"`` as matplotlib places it, faster; returns what
    to call before each rendering (the place is found once per rendering).

    matplotlib scores each of its nine places by the points, lines and texts of the Axes it would
    cover, from a list with one array per point (10,000 points: the list is turned into an array
    anew for each place) and finds the place twice in one rendering (to measure the legend, then
    to draw it); here the points are one array and the place is found once per rendering."""
    legend = ax.get_legend()
    if legend is None or legend._loc != 0 or not SHORTCUTS:
        return lambda: None
    data, best = type(legend)._auto_legend_data, type(legend)._find_best_position
    found: dict = {}

    # the arguments are passed on as they come: matplotlib 3.9 calls _auto_legend_data() without the
    # renderer that later versions pass
    def auto_legend_data(*args):
        bboxes, lines, offsets = data(legend, *args)
        return bboxes, lines, (np.asarray(offsets) if len(offsets) else offsets)

    def find_best_position(width, height, *args):
        key = (width, height, *map(id, args))
        if key not in found:
            found[key] = best(legend, width, height, *args)
        return found[key]

    legend._auto_legend_data = auto_legend_data
    legend._find_best_position = find_best_position
    return found.clear


def _title_would_move(ax) -> bool:
    """Whether matplotlib's placement of titles would have raised a title of the last rendering of
    ``ax`` above the top of the Axes: x ticks or label at the top, a title left or right, or the
    offset text of the y axis (×1e6) meeting the title."""
    if ax.xaxis.get_ticks_position() in ("top", "unknown") or ax.xaxis.get_label_position() == "top":
        return True
    if ax.get_title("left") or ax.get_title("right") or ax.child_axes:
        return True
    offset = ax.yaxis.offsetText
    if not (ax.get_title() and offset.get_visible() and offset.get_text()):
        return False
    from matplotlib.transforms import Bbox

    renderer = ax.figure.canvas.get_renderer()
    return Bbox.intersection(offset.get_window_extent(renderer), ax.title.get_window_extent(renderer)) is not None


def _png(fig) -> bytes:
    """The last rendering of ``fig`` as PNG bytes: RGB when the figure's background is opaque (every
    pixel then is; a quarter less to compress), else RGBA."""
    from PIL import Image

    rgba = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    image = rgba.convert("RGB") if fig.get_facecolor()[3] == 1 else rgba
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=PNG_COMPRESSION)
    return buf.getvalue()


def _fits(fig) -> bool:
    """Whether the last rendering of ``fig`` lies inside the figure with margins (figure edge to the
    nearest ink: a pixel more than 8 levels off the background in a channel) between MARGIN_MIN
    and MARGIN_MAX on every side.

    Fast: the rows and columns holding any pixel other than the background (one comparison of
    32-bit words) are found first; only those at the edges are looked at channel by channel, from
    the outside in, until one holds ink."""
    rgba = np.asarray(fig.canvas.buffer_rgba())
    back = np.round(np.asarray(fig.get_facecolor()[:3]) * 255).astype(np.int16)
    word = int(back[0]) | int(back[1]) << 8 | int(back[2]) << 16  # R, G, B bytes of a little-endian word
    other = (rgba.view("<u4")[..., 0] & 0xFFFFFF) != word

    def first(lines, pixels):
        return next((i for i in lines if (np.abs(pixels(i)[..., :3].astype(np.int16) - back) > 8).any()), None)

    rows, cols = np.flatnonzero(other.any(axis=1)), np.flatnonzero(other.any(axis=0))
    top = first(rows, lambda r: rgba[r])
    if top is None:
        return True
    bottom = first(rows[::-1], lambda r: rgba[r])
    left, right = first(cols, lambda c: rgba[:, c]), first(cols[::-1], lambda c: rgba[:, c])
    margins = (top, rgba.shape[0] - 1 - bottom, left, rgba.shape[1] - 1 - right)
    return all(MARGIN_MIN <= m <= MARGIN_MAX for m in margins)
