"""What every plot shares: where it draws, its fonts, the keywords it passes on, its input checks.

* **Where**: ``ax`` if given; else the current Axes (``plt.gca()``), as seaborn's axes-level
  functions do; else — no figure open — a new figure of a size that suits the plot.
* **Fonts**: each plot draws inside ``matplotlib.rc_context`` with the CJK fallback font of
  :mod:`crmlib.i18n`, and gives the texts an Axes already had (title, axis and tick labels) the same
  fonts; nothing is changed for good. :func:`set_style` is the explicit call that does change
  matplotlib's settings, for the figures a notebook draws itself.
* **Keywords**: ``**kwargs`` go on to the artist that shows the data (each docstring names it);
  what the caller gives wins over the plot's defaults, and ``color`` replaces the plot's own
  colouring (a palette by category included).
* **seaborn** is imported by the plots that use it, on first use (``import seaborn`` costs about
  0.7 s, mostly scipy.stats): ``import crmlib.plots`` stays cheap.
* **Speed**: the explorers redraw these plots on every move of a slider. Dots coloured by class
  are drawn with one ``ax.scatter`` per class (:func:`_scatter`: matplotlib stamps a one-colour
  marker many times over, several times faster than the colour per dot of
  ``seaborn.scatterplot``), bars by category in seaborn's colours (:func:`_bar_colours`), and bars
  by :func:`_bars`: ``ax.bar``'s Rectangles without its update of the data limits bar by bar.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from crmlib import _validate as V, i18n
from crmlib._errors import CRMDataError

#: the seaborn palette of single-series plots
PALETTE = "crest"

#: keywords that set the colour of an artist: given by the caller, they replace the plot's colouring
_COLOUR_KEYS = frozenset({"color", "c", "colors", "facecolor", "facecolors", "fc"})
_STYLES = ("white", "whitegrid", "dark", "darkgrid", "ticks")


def set_style(lang: str | None = None, theme: str | None = None) -> None:
    """Change matplotlib's settings for the rest of the session, on purpose: the CJK fallback font
    that draws ``lang``'s labels (and the Chinese terms English labels carry) and, if given, a
    seaborn ``theme`` (``"whitegrid"``, ``"ticks"``, …).

    crmlib's plots do not need it — each applies its fonts while it draws, and importing crmlib
    changes no setting — but the figures a notebook draws with matplotlib itself do.
    ``matplotlib.rcParams.update(matplotlib.rcParamsDefault)`` undoes it.

    >>> import matplotlib
    >>> with matplotlib.rc_context():
    ...     set_style("zh", theme="whitegrid")
    ...     matplotlib.rcParams["axes.grid"], i18n.cjk_font() in matplotlib.rcParams["font.family"]
    (True, True)
    >>> set_style(theme="neon")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: set_style: field 'theme' must be one of ['white', 'whitegrid', 'dark', 'darkgrid', 'ticks'] or None, got 'neon'
    """  # noqa: E501
    lang = i18n.resolve(lang, "set_style")
    if theme is not None:
        if not isinstance(theme, str) or theme not in _STYLES:
            raise CRMDataError("set_style", "theme", f"must be one of {list(_STYLES)} or None, got {theme!r}")
        import seaborn as sns

        sns.set_style(theme)
    mpl.rcParams.update(i18n.font_rc(lang, "set_style"))


def _start(lang: str | None, func: str, ax: Any = None) -> str:
    """The language of the plot (checked) and a check of ``ax``, before anything is drawn."""
    lang = i18n.resolve(lang, func)
    if ax is not None and not isinstance(ax, Axes):
        raise CRMDataError(
            func, "ax", f"must be a matplotlib Axes (e.g. from plt.subplots()) or None, got {type(ax).__name__}"
        )
    return lang


def _style(lang: str, func: str):
    """The settings a plot draws under (a context manager): the fonts for ``lang``."""
    return mpl.rc_context(i18n.font_rc(lang, func))


def _axes(ax: Axes | None, figsize: tuple[float, float] = (7, 4.2)) -> Axes:
    """The Axes to draw on (called inside :func:`_style`): ``ax``, else the current Axes, else a new
    figure of ``figsize``. Texts the Axes had before (title, axis labels, tick labels, made with the
    fonts of their time) get the CJK fallback font of the plot's style too."""
    if ax is None:
        ax = plt.gca() if plt.get_fignums() else plt.figure(figsize=figsize).add_subplot()
    extra = i18n.cjk_font()
    if extra is not None and extra in mpl.rcParams["font.family"]:  # the style has a fallback font
        for t in (ax.title, ax.xaxis.label, ax.yaxis.label):
            fam = list(t.get_fontfamily())
            if extra not in fam:
                t.set_fontfamily([*fam, extra])
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            # the first tick is the one every later tick copies its label from (made now if the
            # Axes has none yet, under this style); the rest are made when the figure is drawn
            fam = list(axis.majorTicks[0].label1.get_fontfamily())
            if extra not in fam:
                ax.tick_params(axis=name, which="both", labelfontfamily=[*fam, extra])
    return ax


def _kw(kwargs: dict, colouring: dict | None = None, **defaults: Any) -> dict:
    """The keywords of a plot's main artist: ``defaults``, the plot's ``colouring`` (``color=`` or
    ``hue=``/``palette=``) unless the caller gave a colour, then the caller's ``kwargs`` over both."""
    out = dict(defaults)
    if colouring and not (_COLOUR_KEYS & kwargs.keys()):
        out.update(colouring)
    out.update(kwargs)
    return out


def _lab(key: str, lang: str) -> str:
    return i18n.label(key, lang)


def _text(key: str, lang: str, **values: Any) -> str:
    return i18n.text(key, lang, **values)


def _percent(axis) -> None:
    """Tick labels of ``axis`` (``ax.xaxis``/``ax.yaxis``) as percentages of 1."""
    axis.set_major_formatter(PercentFormatter(1.0))


def _result(obj: Any, kind: str, maker: str, func: str, field: str) -> None:
    """A plot of a result record (FranklinResult …) gets that record, or a CRMDataError saying so."""
    if type(obj).__name__ != kind:
        raise CRMDataError(func, field, f"must be the {kind} returned by {maker}(...), got {type(obj).__name__}")


def _need(df: Any, func: str, cols: list[str], name: str) -> pd.DataFrame:
    return V.table(df, func, cols, name=name)


def _classes(values: Any) -> tuple[list, np.ndarray]:
    """The classes of ``values`` in the order seaborn gives a ``hue`` — a categorical's categories
    (empty ones too), else the values in the order first seen (numbers sorted) — and the class
    number of each value (-1: missing).

    >>> _classes(pd.Categorical(["b", "a"], categories=["a", "b", "c"]))
    (['a', 'b', 'c'], array([1, 0], dtype=int8))
    >>> _classes(["y", "x", None, "y"])
    (['y', 'x'], array([ 0,  1, -1,  0], dtype=int8))
    """
    s = pd.Series(values)
    if isinstance(s.dtype, pd.CategoricalDtype):
        return list(s.cat.categories), s.cat.codes.to_numpy()
    levels = list(pd.unique(s.dropna()))
    if pd.api.types.is_numeric_dtype(s.dtype):
        levels = sorted(levels)
    return levels, pd.Categorical(s, categories=levels).codes


def _colours(palette: Any, levels: list, func: str, saturation: float = 1.0) -> dict:
    """The colour of each class, as seaborn gives them: ``palette`` a dict class → colour, or a
    seaborn palette (a name such as ``"Set2"``, ``"dark:#aa1133"``, or a list, cycled), one colour
    per class in order; ``saturation`` < 1 greys them as ``seaborn.barplot`` does.

    >>> _colours({"a": "red", "b": "blue"}, ["b"], "demo")
    {'b': 'blue'}
    >>> _colours({"a": "red"}, ["a", "b"], "demo")
    Traceback (most recent call last):
    ...
    crmlib._errors.CRMDataError: demo: field 'palette' has no colour for ['b']
    """
    import seaborn as sns

    if isinstance(palette, dict):
        missing = [v for v in levels if v not in palette]
        if missing:
            raise CRMDataError(func, "palette", f"has no colour for {missing}")
        out = {v: palette[v] for v in levels}
    else:
        if palette is None and len(levels) > len(mpl.rcParams["axes.prop_cycle"]):
            palette = "husl"  # seaborn's choice when the colour cycle is too short
        out = dict(zip(levels, sns.color_palette(palette, len(levels)) if levels else []))
    if saturation < 1:
        out = {k: sns.desaturate(c, saturation) for k, c in out.items()}
    return out


def _bar_colours(kwargs: dict, palette: Any, levels: list, func: str) -> tuple[dict, dict]:
    """seaborn's bar colours for ``ax.bar``/``ax.barh``: the caller's ``palette=`` (else the plot's)
    over ``levels`` and ``saturation=`` (default 0.75, ``seaborn.barplot``'s), taken out of
    ``kwargs``; a caller's ``color=`` is greyed the same way. Returns (colour per level, the keywords
    left for the bars).

    >>> _bar_colours({"color": "red", "saturation": 1, "alpha": 0.5}, "Set2", ["a"], "demo")[1]
    {'color': 'red', 'alpha': 0.5}
    """
    import seaborn as sns

    kw = dict(kwargs)
    palette = kw.pop("palette", palette)
    saturation = kw.pop("saturation", 0.75)
    if saturation < 1 and kw.get("color") is not None and not isinstance(kw["color"], (list, tuple, np.ndarray)):
        kw["color"] = sns.desaturate(kw["color"], saturation)
    return _colours(palette, levels, func, saturation), kw


def _bars(ax: Axes, pos: Any, length: Any, size: Any = 0.8, base: Any = 0.0, horizontal: bool = False, **kwargs: Any):
    """The bars of ``ax.bar(pos, length, size, base)`` (``horizontal``: of ``ax.barh(pos, length,
    size, base)``) — the same Rectangles, colours, sticky edges and ``BarContainer`` — made without
    ``ax.bar``'s update of the data limits bar by bar (about 0.5 ms a bar; one update here).
    ``kwargs`` as ``ax.bar``/``ax.barh`` take them: ``width``/``height`` and ``bottom``/``left`` (over
    ``size`` and ``base``), ``align`` (``"center"`` or ``"edge"``), ``label`` (of the container) and
    Rectangle properties; ``color``/``facecolor`` and ``edgecolor`` one, or one per bar (cycled).

    >>> fig, ax = plt.subplots()
    >>> bars = _bars(ax, [0, 1], [3.0, 4.0], color=["red", "blue"], label="n")
    >>> [(float(b.get_x()), float(b.get_height())) for b in bars], bars.get_label(), float(ax.get_ylim()[0])
    ([(-0.4, 3.0), (0.6, 4.0)], 'n', 0.0)
    >>> plt.close(fig)
    """
    from matplotlib.cbook import normalize_kwargs
    from matplotlib.colors import to_rgba_array
    from matplotlib.container import BarContainer
    from matplotlib.patches import Patch, Rectangle

    kw = normalize_kwargs(kwargs, Patch)
    size = kw.pop("height" if horizontal else "width", size)
    base = kw.pop("left" if horizontal else "bottom", base)
    align, label = kw.pop("align", "center"), kw.pop("label", "")
    face = kw.pop("facecolor", kw.pop("color", None))
    faces = to_rgba_array("C0" if face is None else face)
    edge = kw.pop("edgecolor", None)
    edges = None if edge is None else to_rgba_array(edge)
    pos, length, size, base = (a.astype(float) for a in np.broadcast_arrays(np.atleast_1d(pos), length, size, base))
    start = pos - size / 2 if align == "center" else pos
    left, low, w, h = (base, start, length, size) if horizontal else (start, base, size, length)
    bars = []
    for i in range(len(pos)):
        r = Rectangle(
            (left[i], low[i]),
            w[i],
            h[i],
            facecolor=faces[i % len(faces)] if len(faces) else "none",
            edgecolor=None if edges is None else edges[i % len(edges)] if len(edges) else "none",
            label="_nolegend_",
            **kw,
        )
        if horizontal:
            r.sticky_edges.x.append(left[i])
        else:
            r.sticky_edges.y.append(low[i])
        ax.add_artist(r)
        bars.append(r)
    drawn = (w != 0) | (h != 0)  # as Axes.add_patch: a bar of no width and no height is left out
    if drawn.any():
        ax.update_datalim(np.r_[np.c_[left, low][drawn], np.c_[left + w, low + h][drawn]])
        ax.autoscale_view()
    container = BarContainer(bars, None, datavalues=length, orientation="horizontal" if horizontal else "vertical")
    container.set_label(label)
    ax.add_container(container)
    return container


def _category_axis(axis, labels: Any) -> None:
    """``axis`` (``ax.xaxis``/``ax.yaxis``) as seaborn's categorical axis of bars at 0, 1, …: one tick
    per label, half a bar of room at each end, no grid, the first category on top of a y axis.

    >>> fig, ax = plt.subplots()
    >>> _ = ax.barh([0, 1], [3, 4]); _category_axis(ax.yaxis, ["a", "b"])
    >>> [float(v) for v in ax.get_ylim()], [t.get_text() for t in ax.get_yticklabels()]
    ([1.5, -0.5], ['a', 'b'])
    >>> plt.close(fig)
    """
    labels = [str(v) for v in labels]
    n = len(labels)
    axis.set_ticks(range(n), labels)
    axis.grid(False)
    if axis is axis.axes.yaxis:
        axis.axes.set_ylim(n - 0.5, -0.5, auto=None)
    else:
        axis.axes.set_xlim(-0.5, n - 0.5, auto=None)


def _dodged_bars(
    ax: Axes, groups: dict, colours: dict, kwargs: dict, horizontal: bool = False, width: float = 0.8
) -> None:
    """Bars side by side at each category 0, 1, … as seaborn dodges a ``hue``: one set of :func:`_bars`
    per group of ``groups`` (label → one value per category) in its colour, ``width`` shared between
    the groups; ``kwargs`` go to each set (a ``color`` paints them all).

    >>> fig, ax = plt.subplots()
    >>> _dodged_bars(ax, {"a": [1, 2], "b": [3, 4]}, {"a": "red", "b": "blue"}, {})
    >>> [(float(p.get_x()), float(p.get_width())) for p in ax.patches][:2], ax.get_legend_handles_labels()[1]
    ([(-0.4, 0.4), (0.6, 0.4)], ['a', 'b'])
    >>> plt.close(fig)
    """
    each = width / max(len(groups), 1)
    for j, (label, values) in enumerate(groups.items()):
        values = np.asarray(values, dtype=float)
        pos = np.arange(len(values)) - width / 2 + j * each
        _bars(
            ax,
            pos,
            values,
            each,
            horizontal=horizontal,
            align="edge",
            **_kw(kwargs, {"color": colours[label]}, label=label),
        )


def _histogram(ax: Axes, x: Any, kwargs: dict) -> None:
    """The histogram of ``x`` (the bars ``ax.hist`` draws, made by :func:`_bars`) as
    ``seaborn.histplot`` draws it: bars filled in ``color`` at ``alpha`` (default 0.75) with opaque
    edges in :rc:`patch.edgecolor`, the edges at most a tenth of the narrowest bar wide. In
    ``kwargs``: ``bins``, ``range``, ``weights`` and ``density`` as ``numpy.histogram`` takes them,
    the rest to the bars (``color``, ``alpha``, ``edgecolor``, ``linewidth`` …).

    >>> fig, ax = plt.subplots()
    >>> _histogram(ax, [1, 2, 2, 3], {"bins": 2, "color": "red"})
    >>> [float(p.get_height()) for p in ax.patches], ax.patches[0].get_facecolor()
    ([1.0, 3.0], (1.0, 0.0, 0.0, 0.75))
    >>> plt.close(fig)
    """
    from matplotlib.colors import to_rgba

    kw = dict(kwargs)
    counting = {k: kw.pop(k) for k in ("bins", "range", "weights", "density") if k in kw}
    counts, edges = np.histogram(x, **counting)
    colour = to_rgba(kw.pop("color", "C0"), kw.pop("alpha", 0.75))
    kw.setdefault("edgecolor", mpl.rcParams["patch.edgecolor"])
    bars = _bars(ax, edges[:-1], counts.astype(float), np.diff(edges), align="edge", color=colour, **kw)
    if "linewidth" not in kw and "lw" not in kw and len(edges) > 1:
        ax.autoscale_view()
        narrowest = float(np.min(np.diff(edges)))
        a, b = ax.transData.transform([[edges[0], 0], [edges[0] + narrowest, 0]])
        width = 0.1 * 72 / ax.figure.dpi * abs(b[0] - a[0])
        for bar in bars:
            bar.set_linewidth(min(width, bar.get_linewidth()))


def _scatter(
    ax: Axes,
    x: Any,
    y: Any,
    classes: Any,
    kwargs: dict,
    func: str,
    palette: Any,
    legend: dict | None = None,
    **defaults: Any,
) -> None:
    """Dots of ``x`` against ``y``, coloured by ``classes`` as ``seaborn.scatterplot(hue=...)`` colours
    them — one ``ax.scatter`` per class, in the colour ``palette`` (or the caller's ``palette=``)
    gives it (:func:`_colours`) — and its legend: every class in order, empty ones too, with the
    dots' marker, size and edge (``legend``: keywords for ``ax.legend``, e.g. ``title``; the
    caller's ``legend=False`` leaves it out, as in seaborn). A colour among ``kwargs`` draws every
    dot in it, without a legend. Like seaborn: white edges round filled markers, edge width
    0.08·√size unless given; ``kwargs`` win over ``defaults`` and go to each ``ax.scatter`` (``s``
    may be one size per dot).

    >>> fig, ax = plt.subplots()
    >>> _scatter(ax, [1, 2, 3], [1, 2, 3], ["b", "a", "b"], {}, "demo", "Set1", {"title": "t"}, s=9)
    >>> [len(c.get_offsets()) for c in ax.collections], [t.get_text() for t in ax.get_legend().get_texts()]
    ([2, 1], ['b', 'a'])
    >>> plt.close(fig)
    """
    from matplotlib.cbook import normalize_kwargs
    from matplotlib.collections import PathCollection
    from matplotlib.lines import Line2D
    from matplotlib.markers import MarkerStyle

    x, y = np.asarray(x), np.asarray(y)
    kw = {**normalize_kwargs(defaults, PathCollection), **normalize_kwargs(kwargs, PathCollection)}
    palette = kw.pop("palette", palette)
    show = kw.pop("legend", True)  # seaborn's legend=False: none
    marker = kw.get("marker", "o")
    if MarkerStyle(marker).is_filled():
        kw.setdefault("edgecolor", "w")
    size = kw.get("s", mpl.rcParams["lines.markersize"] ** 2)
    if "linewidth" not in kw:
        kw["linewidth"] = 0.08 * np.sqrt(np.percentile(np.atleast_1d(size), 10))
    if _COLOUR_KEYS & kwargs.keys():  # the caller's colour: one colour, no legend
        ax.scatter(x, y, **kw)
        return
    levels, codes = _classes(classes)
    colours = _colours(palette, levels, func)
    if not (np.isfinite(x.astype(float)) & np.isfinite(y.astype(float)) & (codes >= 0)).any():
        return  # nothing to draw: no legend either
    per_dot = np.ndim(size) == 1 and len(size) == len(x)
    for i, level in enumerate(levels):
        m = codes == i
        if m.any():
            dots = {**kw, "s": np.asarray(size)[m]} if per_dot else kw
            ax.scatter(x[m], y[m], **{**dots, "color": colours[level]}, label=str(level))
    edge = kw.get("edgecolor")
    handles = [
        Line2D(
            [],
            [],
            linestyle="",
            marker=marker,
            markersize=float(np.sqrt(np.median(size) if per_dot else size)),
            color=c,
            markerfacecolor=c,
            markeredgewidth=kw["linewidth"],
            **({} if edge is None else {"markeredgecolor": c if str(edge) == "face" else edge}),
            alpha=kw.get("alpha"),
            label=str(level),
        )
        for level, c in colours.items()
    ]
    if handles and show:
        ax.legend(handles=handles, **(legend or {}))


def _plain_font() -> list[str]:
    """The font families of the style without the CJK fallback: for texts without Chinese in a
    weight the CJK font lacks (the packaged Noto Sans CJK has no bold face; asking it for one makes
    matplotlib log "findfont: Failed to find font weight bold …").

    >>> with _style("en", "demo"):
    ...     i18n.cjk_font() not in _plain_font()
    True
    """
    extra = i18n.cjk_font()
    return [f for f in mpl.rcParams["font.family"] if f != extra] or ["sans-serif"]
