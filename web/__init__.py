"""A read-only web explorer of the knowledge graph (issue 12): agency, task, document, issue,
search and query pages, server-rendered in Chinese. ``create_app`` in web/app.py builds it.
"""
