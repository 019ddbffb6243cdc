"""Chorus: the frame around every page (navigation, shared sidebar filters, then the page)."""

import streamlit as st

from lib import nodelay, state

nodelay.enable()  # connections accepted from now on answer without a 40 ms stall
st.set_page_config(page_title="Chorus", page_icon="🎶", layout="wide")

# Emoji icons only: material icons would make the browser fetch a font from a CDN.
PAGES = [
    ("pages/overview.py", "Overview", "🏠", "overview"),
    ("pages/themes.py", "Themes", "🧩", "themes"),
    ("pages/estimates.py", "Estimates", "📈", "estimates"),
    ("pages/topics.py", "Topics", "🗂️", "topics"),
    ("pages/responses.py", "Responses", "💬", "responses"),
    ("pages/data.py", "Data", "📂", "data"),
]
pg = st.navigation(
    [
        st.Page(path, title=title, icon=icon, url_path=url, default=(url == "overview"))
        for path, title, icon, url in PAGES
    ]
)
state.sidebar()
pg.run()
