"""Walks what an exception wraps: keystoneauth wraps requests' errors,
which wrap urllib3's, which wrap the socket's or the ssl module's."""


def chain(exc):
    """``exc`` and what it wraps: causes, contexts, arguments, reasons."""
    todo, seen = [exc], set()
    while todo:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        todo.extend((item.__cause__, item.__context__,
                     getattr(item, 'reason', None)) + tuple(item.args))
