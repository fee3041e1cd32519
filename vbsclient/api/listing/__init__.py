"""Reading listings: plans, marker paging, concurrent pages, the ordered
search of a window's edges and windowed reads."""
