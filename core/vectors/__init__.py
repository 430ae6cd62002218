"""Sentence vectors: the bundled MiniLM embedder and its cache (embeddings.py), and the FAISS
index over each playbook version's guidance (retrieval.py)."""
