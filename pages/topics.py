"""Topics: what the answers talk about, which answers are alike, and what sets groups apart."""

import streamlit as st

from lib import figures, state
from lib.distinctive import distinctive_words
from lib.highlight import escape_markdown, escape_text, table_html
from lib.similarity import group_consistency, near_duplicates, similarity_matrix

# Two clouds a row: each shown about 430 px wide, where its smallest words can still be read.
CLOUD_COLUMNS = 2
MAX_SIMILARITY_CELLS = 60  # above this many answers the n x n heatmap is unreadable

corpus = state.page_corpus(
    "Topics",
    "What the answers talk about, which answers resemble each other, and the words that set "
    "each group apart. Click a cell or a dot to read that answer.",
)
n = len(corpus)
by_id = {r.response_id: r for r in corpus.responses}
picked: list[list] = []
colors = figures.stable_group_colors(r.group for r in state.current_corpus().responses)
# Cached figures are keyed on the colours too: renaming another group can shift them.
palette = ",".join(f"{g}={c}" for g, c in colors.items())

n_topics = None
if not state.presenter_mode():
    with st.expander("Options", expanded=False):
        choice = st.select_slider(
            "Number of topics", ["Auto", *range(2, 13)], value="Auto", key="n_topics",
            help="Auto picks the number that separates the answers best.",
        )  # fmt: skip
        n_topics = None if choice == "Auto" else int(choice)


def show_topics() -> None:
    st.subheader("Topics")
    with st.spinner("Fitting topics…"):
        model = state.topic_model(corpus, n_topics)
    if not len(model.topics_):
        state.empty_state("Too little text to find topics; add answers or clear the filters.")
        return
    topics = model.topics_
    # The first tab's chart is light (Vega-Lite): the page draws without loading plotly.js.
    caption = f"{len(topics)} topics across {n} answers; darker = more of the answer."
    sample = state.chart_sample(corpus)
    shares = model.response_topics_
    if sample is not None:
        shares = shares[shares["response_id"].isin(sample)]
        caption += f" {state.sample_note(sample, corpus)}."
    spec = state.cached_chart(
        f"topics_heatmap:{n_topics}",
        corpus,
        lambda: figures.light_topic_heatmap(shares, topics),
    )
    picked.extend(
        state.show_light_chart(
            spec,
            key="topics_heatmap",
            caption=caption,
            data=model.response_topics_,
            selectable=True,
            figure=lambda: figures.make_topic_heatmap(shares, topics),
        )
    )
    clouds = state.wordclouds(corpus, "topics", n_topics)
    cols = st.columns(min(len(topics), CLOUD_COLUMNS))
    for k, t in enumerate(topics.itertuples()):
        cols[k % len(cols)].image(
            clouds[int(t.topic_id)],
            caption=escape_markdown(figures.topic_name(t.topic_id, t.label)),
        )
    # One row per topic: a static table draws at once, without the interactive grid's scripts.
    listed = topics.assign(top_terms=topics["top_terms"].map(", ".join))
    st.html(table_html(listed.rename(columns={"topic_id": "topic", "top_terms": "top terms"})))


def show_map() -> None:
    st.subheader("Answer map")
    if n < 3:
        state.empty_state(f"The map needs at least 3 answers; {n} shown.")
        return
    amap = state.answer_map(corpus)
    clusters = amap["cluster"].nunique()
    event = state.show_chart(
        state.cached_chart(
            f"topics_map|{palette}", corpus, lambda: figures.make_answer_map(amap, colors=colors)
        ),
        key="topics_map",
        caption=f"{n} answers in {clusters} clusters; close dots share vocabulary.",
        data=amap,
        selectable=True,
    )
    picked.extend(figures.selected_customdata(event))


def show_groups() -> None:
    groups = {r.group for r in corpus.responses}
    st.subheader("What sets each group apart")
    if len(groups) < 2:
        state.empty_state("Only one group is shown: distinctive words need two or more groups.")
        return
    words = state.cached_chart(
        "distinctive", corpus, lambda: distinctive_words(corpus, by="group", top=10)
    )
    state.show_chart(
        state.cached_chart(
            f"topics_distinctive|{palette}",
            corpus,
            lambda: figures.make_distinctive_chart(words, colors=colors),
        ),
        key="topics_distinctive",
        caption=f"The 10 words each of {len(groups)} groups uses most, relative to the rest.",
        data=words,
    )
    clouds = state.wordclouds(corpus, "groups")
    cols = st.columns(min(len(clouds), CLOUD_COLUMNS))
    for k, (group, image) in enumerate(clouds.items()):
        cols[k % len(cols)].image(
            image, caption=escape_markdown(f"Group {group}: its most distinctive words")
        )
    consistency = state.cached_chart("consistency", corpus, lambda: group_consistency(corpus))
    state.show_chart(
        state.cached_chart(
            "topics_consistency",
            corpus,
            lambda: figures.make_group_consistency_chart(consistency),
        ),
        key="topics_consistency",
        caption=figures.consistency_caption(consistency),
        data=consistency,
    )


def _similarity():
    """The similarity heatmap, its caption and its table (one cached build per corpus)."""
    sim = similarity_matrix(corpus)
    names = {r.index: figures.response_label(r.index, r.group) for r in corpus.responses}
    sim = sim.rename(index=names, columns=names)
    off = sim.where(~(sim.index.to_numpy()[:, None] == sim.columns.to_numpy()[None, :]))
    caption = (
        f"Pairs of different answers share {off.stack().mean():.2f} similarity on "
        "average (0 = no words in common, 1 = the same words)."
    )
    return figures.make_similarity_heatmap(sim), caption, sim.reset_index(names="answer")


def show_similarity() -> None:
    st.subheader("How alike the answers are")
    if n < 2:
        state.empty_state("Similarity needs at least two answers.")
    elif n > MAX_SIMILARITY_CELLS:
        state.empty_state(
            f"{n} answers are too many for a readable grid; "
            f"filter to {MAX_SIMILARITY_CELLS} or fewer."
        )
    else:
        fig, caption, table = state.cached_chart("topics_similarity", corpus, _similarity)
        state.show_chart(fig, key="topics_similarity", caption=caption, data=table)
    if n >= 2 and not state.presenter_mode():
        threshold = st.slider("Near-duplicate threshold", 0.5, 1.0, 0.8, 0.05, key="dup_threshold")
        dups = state.cached_chart(
            f"near_duplicates:{threshold}", corpus, lambda: near_duplicates(corpus, threshold)
        )
        if dups.empty:
            st.caption(f"No two answers reach {threshold:.2f} similarity: no near-duplicates.")
        else:
            st.caption(f"{len(dups)} pairs of answers at or above {threshold:.2f} similarity.")
            st.dataframe(dups, hide_index=True)


# One section at a time: the browser draws only the open tab (presenter mode shows them all).
SECTIONS = [
    ("Topics", show_topics),
    ("Answer map", show_map),
    ("Groups", show_groups),
    ("Similarity", show_similarity),
]
for (tab, is_open), (_, show) in zip(
    state.sections([name for name, _ in SECTIONS], key="topics_tab"), SECTIONS, strict=True
):
    if is_open:
        with tab:
            show()

# --- the clicked answer --------------------------------------------------------------------------
if picked and picked[0][0] in by_id:
    r = by_id[picked[0][0]]
    label = figures.response_label(r.index, r.group)
    st.subheader(escape_markdown(f"Answer {label}"))
    st.html(f'<div class="chorus-answer">{escape_text(r.text)}</div>')
    st.button(
        escape_markdown(f"Show only answer {label}"),
        key="topics_drill",
        on_click=state.set_filter,
        args=("responses", [r.index]),
    )
