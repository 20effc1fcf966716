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
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
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
            ticks = axis.get_major_ticks()
            fam = list(ticks[0].label1.get_fontfamily() if ticks else mpl.rcParams["font.family"])
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
