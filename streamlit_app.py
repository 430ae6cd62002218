"""Contract Analyzer dashboard: page config and navigation only; pages live in pages/."""

import streamlit as st

from pages._auth import gate

st.set_page_config(page_title="Contract Analyzer", page_icon="📑", layout="wide")

navigation = st.navigation(
    gate(  # only a sign-in page until someone signs in, when [auth] secrets configure it
        [
            st.Page("pages/analyze.py", title="Analyze", icon="🔎", default=True),
            st.Page("pages/history.py", title="History", icon="🗂️"),
            st.Page("pages/insights.py", title="Insights", icon="📊"),
            st.Page("pages/playbooks.py", title="Playbooks", icon="📘"),
        ]
    )
)
navigation.run()
