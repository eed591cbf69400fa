"""The read models, one package each: the view, its queries and what only it uses."""
