"""Word clouds for topics and groups, drawn with the `wordcloud` package's bundled font.

Drawing is deterministic: the same weights and `random_state` give identical pixels, and the
package needs no network. Empty weights give a blank image rather than an exception, so a page
can always show something.
"""

from __future__ import annotations

from functools import lru_cache

import matplotlib
import wordcloud.wordcloud
from PIL import Image, ImageFont
from wordcloud import WordCloud
from wordcloud.wordcloud import colormap_color_func

from lib.corpus import Corpus
from lib.distinctive import distinctive_words
from lib.parallel import map_in_halves

BACKGROUND = "white"


class _ColormapColors(colormap_color_func):
    """The package's colour function (same colours), built without importing pyplot.

    Given only a colormap name, `WordCloud` imports matplotlib.pyplot to look it up: about half
    a second, the slowest part of the first cloud a process draws. The registry holds the same
    colormaps without it.
    """

    def __init__(self, colormap: str) -> None:
        self.colormap = matplotlib.colormaps[colormap]


class _SharedFonts:
    """Pillow's `ImageFont` module as the wordcloud package reads it, except that `truetype` of
    a font file at a size gives the same font object each time.

    The package builds a font for every size it tries for every word, and again to draw it:
    about 500 for the Topics page's eight clouds, each one's glyphs loaded afresh. One object
    per (file, size) draws the same pixels (tested) in about half the time once the sizes have
    been seen. Pillow's font objects may be shared between threads (each call holds the font
    or the GIL). The most recent `FONT_SIZES` are kept: about 170 kB each, some 20 MB in all,
    and the page's clouds use about 105.
    """

    def __getattr__(self, name: str):
        return getattr(ImageFont, name)

    @staticmethod
    def truetype(font=None, size: float = 10, *args, **kwargs):
        if args or kwargs or not isinstance(font, str):
            return ImageFont.truetype(font, size, *args, **kwargs)
        return _font(font, size)


FONT_SIZES = 128


@lru_cache(maxsize=FONT_SIZES)
def _font(path: str, size: float):
    return ImageFont.truetype(path, size)


wordcloud.wordcloud.ImageFont = _SharedFonts()


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
    scale = _layout_scale(width, height)
    cloud = WordCloud(
        width=width // scale,
        height=height // scale,
        scale=scale,
        random_state=random_state,
        color_func=_ColormapColors(colormap),
        background_color=BACKGROUND,
        max_words=max_words,
        min_font_size=MIN_FONT_SIZE,
        # Keep the given terms whole: no plural folding, no collocations, no stop words.
        normalize_plurals=False,
        collocations=False,
        stopwords=set(),
    )
    # Sorted input so dict order (which can differ between callers) cannot change the layout.
    ordered = dict(sorted(positive.items(), key=lambda item: (-item[1], item[0])))
    return cloud.generate_from_frequencies(ordered).to_image()


# Clouds are laid out on a canvas about this wide and drawn at the scale that fills the size
# asked for: the package's own advice for large clouds. Layout time grows with the canvas.
LAYOUT_WIDTH = 200
# Smallest word, in layout pixels (the package's default is 4). The Topics page shows a
# 200-pixel layout about 430 pixels wide, so the smallest word is about 13 pixels tall there;
# smaller words were a fringe nobody could read on a projector.
MIN_FONT_SIZE = 6


def _layout_scale(width: int, height: int) -> int:
    """The largest whole scale (at most 4) that divides both sides and keeps the layout at
    least `LAYOUT_WIDTH` wide; 1 for small or odd sizes, which are laid out as they are."""
    for scale in (4, 3, 2):
        if width % scale == 0 and height % scale == 0 and width // scale >= LAYOUT_WIDTH:
            return scale
    return 1


def topic_wordclouds(model, **kwargs) -> dict[int, Image.Image]:
    """One cloud per topic of a fitted `TopicModel`, from its term weights."""
    ids = [int(topic_id) for topic_id in model.topics_["topic_id"]]
    return dict(zip(ids, _draw_all([model.term_weights(i) for i in ids], kwargs), strict=True))


def group_wordclouds(corpus: Corpus, top: int = 60, **kwargs) -> dict[str, Image.Image]:
    """One cloud per group of its most distinctive words (weighted log-odds z-scores)."""
    words = distinctive_words(corpus, top=top)
    names, weights = [], []
    for group, frame in words.groupby("group", sort=False):
        names.append(str(group))
        weights.append(dict(zip(frame["term"], frame["log_odds_z"], strict=True)))
    return dict(zip(names, _draw_all(weights, kwargs), strict=True))


def _draw_all(weights: list[dict[str, float]], kwargs: dict) -> list[Image.Image]:
    """`make_wordcloud` of each weights, half of them in a second process when one is free
    (about 40 ms a cloud; the images are the same)."""
    return map_in_halves(lambda w: make_wordcloud(w, **kwargs), weights, min_items=2)
