"""The results chart: every area's estimate against the network average, readable on a phone.

Policy officers look at this on Telegram, in portrait, often without zooming: so one horizontal
bar per area, large type, weak areas in a colour that stands out, the network average as a
marker where the data has one, and the "estimate, not an official result" label on the image
itself (a forwarded picture loses its caption). Where at least five member cities share their
own self-checks (scoring.peers), their average is a second marker, a diamond of another colour
and shape than the network's line, so the two stay apart even where they coincide, with its own
legend line saying how many cities it rests on. Built on matplotlib's object API with the Agg
canvas, so it is safe in worker threads and never needs a display.
"""

from __future__ import annotations

import io
import logging
import textwrap
from collections.abc import Mapping
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from scoring.peers import PeerAverage, count_label, shown
from scoring.score import Result

log = logging.getLogger(__name__)

WIDTH_INCHES = 12.0
DPI = 100  # 1200 px wide
ROW_INCHES = 0.95
HEADER_INCHES = 2.6
FOOTER_INCHES = 1.7
PEER_LEGEND_INCHES = 0.55  # the member-cities legend line, below the others
LABEL_WRAP = 24
TITLE_CHARS = 38  # longer titles shrink so a long city name stays on the image

WEAK_COLOUR = "#d1495b"
STRONG_COLOUR = "#2e8b57"
OTHER_COLOUR = "#4a7fb5"
NETWORK_COLOUR = "#111111"
PEER_COLOUR = "#f2b705"  # amber with a dark edge: visible on red, green and blue bars alike
PEER_MARKER_SIZE = 17
#: The score's figure and the markers, in score points along the axis (7.2 in for 0-100).
LABEL_DIGIT_POINTS = 2.8
LABEL_GAP = 1.5
MARKER_HALF = 2.0

_TEXTS = {
    "en": {
        "title": "ICC Index self-check",
        "overall": "Overall {overall}",
        "lens": "intercultural lens {lens}",
        "estimate": "Estimate — not an official ICC Index result",
        "score": "Your score",
        "network": "ICC network average",
        "peers": "Member cities: self-assessments of {count} member cities using this assistant",
        "weak": "Weak area",
        "strong": "Strong area",
        "unscored": "not scored",
        "axis": "Score (0-100)",
        "model": "Model {version} · {scope} check",
        "quick": "quick",
        "full": "full",
        "area": "one-area",
    },
    "fr": {
        "title": "Auto-évaluation Index ICC",
        "overall": "Global {overall}",
        "lens": "prisme interculturel {lens}",
        "estimate": "Estimation — pas un résultat officiel de l'Index ICC",
        "score": "Votre score",
        "network": "Moyenne du réseau ICC",
        "peers": (
            "Villes membres : auto-évaluations de {count} villes membres utilisant cet assistant"
        ),
        "weak": "Domaine faible",
        "strong": "Domaine fort",
        "unscored": "non noté",
        "axis": "Score (0-100)",
        "model": "Modèle {version} · contrôle {scope}",
        "quick": "rapide",
        "full": "complet",
        "area": "d'un domaine",
    },
}


def render_chart(
    result: Result,
    *,
    city: str | None = None,
    lang: str = "en",
    peers: Mapping[str, PeerAverage] | None = None,
) -> bytes:
    """A PNG (1200 px wide) of every area's score vs the network average, weak areas highlighted.

    ``peers`` adds the member cities' average where it may be shown (`PeerAverage.shown`).
    """
    texts = _TEXTS.get(lang[:2], _TEXTS["en"])
    areas = result.areas
    shown_peers = shown(peers or {})
    footer = FOOTER_INCHES + (PEER_LEGEND_INCHES if shown_peers else 0)
    height = HEADER_INCHES + ROW_INCHES * max(len(areas), 1) + footer
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    FigureCanvasAgg(figure)
    top = 1 - HEADER_INCHES / height
    bottom = footer / height
    axes = figure.add_axes((0.36, bottom, 0.6, top - bottom))

    rows = list(range(len(areas)))[::-1]  # first area at the top
    for row, area in zip(rows, areas, strict=True):
        colour = WEAK_COLOUR if area.weak else STRONG_COLOUR if area.strong else OTHER_COLOUR
        peer = shown_peers.get(area.id)
        peer_value = peer.value if peer is not None else None
        markers = [value for value in (area.network_average, peer_value) if value is not None]
        if area.score is None:
            axes.text(1, row, texts["unscored"], va="center", fontsize=18, color="#666666")
        else:
            axes.barh(row, area.score, color=colour, height=0.7)
            _score_label(axes, row, area.score, markers)
        if area.network_average is not None:
            axes.plot(
                [area.network_average] * 2,
                [row - 0.45, row + 0.45],
                color=NETWORK_COLOUR,
                linewidth=5,
            )
        if peer_value is not None:
            axes.plot([peer_value], [row], markersize=PEER_MARKER_SIZE, zorder=5, **_PEER_MARKER)
    axes.set_yticks(rows, [textwrap.fill(a.name, LABEL_WRAP) for a in areas], fontsize=19)
    for label, area in zip(axes.get_yticklabels(), areas, strict=True):
        if area.weak:
            label.set_color(WEAK_COLOUR)
            label.set_fontweight("bold")
    axes.set_xlim(0, 100)
    axes.set_ylim(-0.6, len(areas) - 0.4)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.tick_params(axis="x", labelsize=18)
    axes.set_xlabel(texts["axis"], fontsize=18)
    axes.grid(axis="x", color="#dddddd")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)

    title = texts["title"] + (f" — {city}" if city else "")
    title_size = 30 if len(title) <= TITLE_CHARS else max(18, 30 * TITLE_CHARS / len(title))
    figure.text(0.03, 1 - 0.45 / height, title, fontsize=title_size, fontweight="bold", va="top")
    summary = []
    if result.overall is not None:
        summary.append(texts["overall"].format(overall=f"{result.overall:.0f}/100"))
    if result.lens is not None:
        summary.append(texts["lens"].format(lens=f"{result.lens:.0f}"))
    if summary:
        figure.text(0.03, 1 - 1.15 / height, " · ".join(summary), fontsize=22, va="top")
    figure.text(
        0.03,
        1 - 1.75 / height,
        texts["estimate"],
        fontsize=22,
        fontweight="bold",
        color="white",
        va="top",
        bbox={"facecolor": "#8a1c2b", "edgecolor": "none", "pad": 6},
    )
    handles = [
        Patch(color=OTHER_COLOUR, label=texts["score"]),
        Patch(color=WEAK_COLOUR, label=texts["weak"]),
        Patch(color=STRONG_COLOUR, label=texts["strong"]),
        Line2D([], [], color=NETWORK_COLOUR, linewidth=5, label=texts["network"]),
    ]
    figure.legend(
        handles=handles,
        loc="lower center",
        ncols=4,
        fontsize=16,
        frameon=False,
        bbox_to_anchor=(0.5, (0.1 + (PEER_LEGEND_INCHES if shown_peers else 0)) / height),
    )
    if shown_peers:
        figure.legend(
            handles=[_peer_handle(texts["peers"].format(count=count_label(shown_peers)))],
            loc="lower center",
            fontsize=16,
            frameon=False,
            bbox_to_anchor=(0.5, 0.1 / height),
        )
    figure.text(
        0.97,
        1 - 1.2 / height,
        texts["model"].format(
            version=result.model_version, scope=texts[result.scope.split(":")[0]]
        ),
        fontsize=13,
        ha="right",
        va="top",
        color="#666666",
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    log.debug("chart rendered: %d bytes", buffer.tell())
    return buffer.getvalue()


def _score_label(axes: Axes, row: int, score: float, markers: list[float]) -> None:
    """The score's figure beside its bar, on the side where no average's marker covers it:
    outside the bar by default, inside (white) when the bar is nearly full or a marker sits
    just past its end, past the markers when they sit on both sides of the end."""
    text = f"{score:.0f}"
    width = LABEL_DIGIT_POINTS * len(text) + LABEL_GAP  # in score points, with the gap
    outside_clear = not any(score - MARKER_HALF < m < score + width + MARKER_HALF for m in markers)
    inside_clear = not any(score - width - MARKER_HALF < m < score + MARKER_HALF for m in markers)
    inside = score >= 88 or (not outside_clear and inside_clear and score > width + 2)
    start = score + LABEL_GAP
    if not inside and not outside_clear:  # markers on both sides: step past the nearest ones
        start = max(m for m in markers if m < score + width + MARKER_HALF) + MARKER_HALF + 1
    axes.text(
        score - LABEL_GAP if inside else start,
        row,
        text,
        va="center",
        ha="right" if inside else "left",
        fontsize=20,
        fontweight="bold",
        color="white" if inside else "#222222",
        zorder=6,
    )


#: The member cities' diamond, on the bars and in the legend alike.
_PEER_MARKER: dict[str, Any] = {
    "marker": "D",
    "markerfacecolor": PEER_COLOUR,
    "markeredgecolor": NETWORK_COLOUR,
    "markeredgewidth": 2,
    "linestyle": "none",
}


def _peer_handle(label: str) -> Line2D:
    """The legend's member-cities entry: the same diamond as on the bars."""
    return Line2D([], [], markersize=PEER_MARKER_SIZE * 0.8, label=label, **_PEER_MARKER)
