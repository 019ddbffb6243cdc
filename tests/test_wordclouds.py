"""Word clouds: deterministic pixels, blank images for nothing, one cloud per topic or group."""

import numpy as np
import pytest
from PIL import Image, ImageFont

from lib.topics import TopicModel
from lib.wordclouds import MIN_FONT_SIZE, group_wordclouds, make_wordcloud, topic_wordclouds

WEIGHTS = {"grounding": 3.0, "memory": 2.0, "planning": 1.0, "robots": 0.5}


def test_same_weights_give_identical_pixels():
    first = make_wordcloud(WEIGHTS, width=300, height=150)
    again = make_wordcloud(dict(reversed(list(WEIGHTS.items()))), width=300, height=150)
    assert first.size == (300, 150)
    assert np.array_equal(np.asarray(first), np.asarray(again))
    other = make_wordcloud(WEIGHTS, width=300, height=150, random_state=1)
    assert not np.array_equal(np.asarray(first), np.asarray(other))


@pytest.mark.parametrize("weights", [{}, {"zero": 0.0, "negative": -1.0}])
def test_no_positive_weight_gives_a_blank_image(weights):
    image = make_wordcloud(weights, width=120, height=60)
    assert isinstance(image, Image.Image) and image.size == (120, 60)
    assert image.getextrema() == ((255, 255), (255, 255), (255, 255))


def test_words_are_drawn():
    image = np.asarray(make_wordcloud({"memory": 1.0}, width=200, height=100))
    assert (image < 250).any()


def test_topic_and_group_clouds(seed_labelled):
    model = TopicModel(n_topics=3).fit(seed_labelled)
    clouds = topic_wordclouds(model, width=200, height=100)
    assert list(clouds) == [1, 2, 3]
    assert all(c.size == (200, 100) for c in clouds.values())
    groups = group_wordclouds(seed_labelled, width=200, height=100)
    assert list(groups) == ["claude", "gemini", "gpt", "grok"]
    again = group_wordclouds(seed_labelled, width=200, height=100)
    assert np.array_equal(np.asarray(groups["gpt"]), np.asarray(again["gpt"]))


def test_large_clouds_keep_the_requested_size_and_draw_words():
    # Laid out at a quarter of the size, drawn at 4x: the image is still the size asked for.
    image = make_wordcloud({"memory": 2.0, "grounding": 1.0}, width=800, height=400)
    assert image.size == (800, 400)
    assert (np.asarray(image) != 255).any()
    assert make_wordcloud({"memory": 1.0}, width=401, height=200).size == (401, 200)


def test_clouds_are_laid_out_about_200_pixels_wide_and_scaled_up():
    from lib.wordclouds import _layout_scale

    assert _layout_scale(800, 400) == 4  # laid out at 200 x 100
    assert _layout_scale(600, 300) == 3  # the Topics page's size: 200 x 100
    assert _layout_scale(400, 200) == 2
    assert _layout_scale(300, 150) == 1  # halving would go under 200 pixels
    assert _layout_scale(802, 400) == 2  # 4 and 3 do not divide both sides
    assert _layout_scale(401, 200) == 1


def test_colours_are_the_packages_own_colormap_colours():
    # Colours come from the colormap registry rather than through pyplot: the same pixels as
    # the package's own `colormap=` path.
    from wordcloud import WordCloud

    theirs = WordCloud(
        width=150,
        height=75,
        scale=1,
        random_state=0,
        colormap="magma",
        background_color="white",
        max_words=100,
        min_font_size=MIN_FONT_SIZE,
        normalize_plurals=False,
        collocations=False,
        stopwords=set(),
    )
    theirs = theirs.generate_from_frequencies(WEIGHTS).to_image()
    ours = make_wordcloud(WEIGHTS, width=150, height=75, colormap="magma")
    assert np.array_equal(np.asarray(ours), np.asarray(theirs))


def test_shared_fonts_draw_the_same_pixels_with_far_fewer_fonts(monkeypatch):
    """The package asks for a font per size tried per word; one object per size draws the
    same clouds (the package's own `ImageFont` gives the reference pixels)."""
    import wordcloud.wordcloud

    from lib import wordclouds

    weights = {f"word{i}": float(i) for i in range(1, 40)}
    sizes = {"width": 600, "height": 300}
    built = []
    real = ImageFont.truetype

    def counted(*args, **kwargs):
        built.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(ImageFont, "truetype", counted)
    wordclouds._font.cache_clear()
    shared = [make_wordcloud(weights, random_state=seed, **sizes) for seed in (0, 1)]
    fonts_built = len(built)
    monkeypatch.setattr(wordcloud.wordcloud, "ImageFont", ImageFont)  # the package's own
    built.clear()
    own = [make_wordcloud(weights, random_state=seed, **sizes) for seed in (0, 1)]
    for a, b in zip(shared, own, strict=True):
        assert np.array_equal(np.asarray(a), np.asarray(b))
    assert fonts_built == len(set(built)) < len(built) / 2  # each size built once
    wordclouds._font.cache_clear()  # none of the counting wrappers' fonts stay
