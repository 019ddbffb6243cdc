"""Word clouds for topics and groups, drawn with the `wordcloud` package's bundled font.

Drawing is deterministic: the same weights and `random_state` give identical pixels, and the
package needs no network. Empty weights give a blank image rather than an exception, so a page
can always show something.
"""

from __future__ import annotations

import matplotlib
from PIL import Image
from wordcloud import WordCloud
from wordcloud.wordcloud import colormap_color_func

from lib.corpus import Corpus
from lib.distinctive import distinctive_words

BACKGROUND = "white"


class _ColormapColors(colormap_color_func):
    """The package's colour function (same colours), built without importing pyplot.

    Given only a colormap name, `WordCloud` imports matplotlib.pyplot to look it up: about half
    a second, the slowest part of the first cloud a process draws. The registry holds the same
    colormaps without it.
    """

    def __init__(self, colormap: str) -> None:
        self.colormap = matplotlib.colormaps[colormap]


def make_wordcloud(
    weights: dict[str, float],
    width: int = 800,
    height: int = 400,
    random_state: int = 0,
    colormap: str = "viridis",
    max_words: int = 100,
) -> Image.Image:
    """A word cloud of `weights` (term -> positive weight); terms sized by weight.

    >>> make_wordcloud({"memory": 2.0, "grounding": 1.0}).size  # doctest: +SKIP
    (800, 400)
    """
    positive = {str(term): float(w) for term, w in weights.items() if w and w > 0}
    if not positive:
        return Image.new("RGB", (width, height), BACKGROUND)
    # Laid out at half size and drawn at twice the scale: the same image size, 2-5x faster
    # (the package's own advice for large clouds); small or odd sizes are laid out as they are.
    scale = 2 if width >= 400 and width % 2 == 0 and height % 2 == 0 else 1
    cloud = WordCloud(
        width=width // scale,
        height=height // scale,
        scale=scale,
        random_state=random_state,
        color_func=_ColormapColors(colormap),
        background_color=BACKGROUND,
        max_words=max_words,
        # Keep the given terms whole: no plural folding, no collocations, no stop words.
        normalize_plurals=False,
        collocations=False,
        stopwords=set(),
    )
    # Sorted input so dict order (which can differ between callers) cannot change the layout.
    ordered = dict(sorted(positive.items(), key=lambda item: (-item[1], item[0])))
    return cloud.generate_from_frequencies(ordered).to_image()


def topic_wordclouds(model, **kwargs) -> dict[int, Image.Image]:
    """One cloud per topic of a fitted `TopicModel`, from its term weights."""
    return {
        int(topic_id): make_wordcloud(model.term_weights(int(topic_id)), **kwargs)
        for topic_id in model.topics_["topic_id"]
    }


def group_wordclouds(corpus: Corpus, top: int = 60, **kwargs) -> dict[str, Image.Image]:
    """One cloud per group of its most distinctive words (weighted log-odds z-scores)."""
    words = distinctive_words(corpus, top=top)
    clouds = {}
    for group, frame in words.groupby("group", sort=False):
        weights = dict(zip(frame["term"], frame["log_odds_z"], strict=True))
        clouds[str(group)] = make_wordcloud(weights, **kwargs)
    return clouds
