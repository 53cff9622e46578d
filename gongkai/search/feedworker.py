"""The child process of an import's index feed (importfeed.py): it holds this node's index
writer for the length of the import and turns the rows it is sent into index documents.

It never touches the database and needs no Django set-up (rows.py, engine.py and tokenize.py
are free of models), so it starts in well under a second. It answers on the pipe:
``("ready",)`` once it holds the writer (``("busy", why)`` when another process holds it),
``("committed",)`` after a commit, ``("error", traceback)`` when anything fails; a rollback and
its exit need no answer. Nothing it adds is visible to a searcher before ``commit``.
"""

import traceback

# Messages from the parent.
ADD = "add"  # ("add", rows, fields): index these documents (new ones: nothing to delete first);
# ``fields`` are documents the parent tokenised itself (rows.document_fields) while it waited.
# Each ADD is answered ("done",) once indexed, so the parent knows how far behind the child is.
REPLACE = "replace"  # ("replace", ids, rows): delete these ids, then index the rows of those public
COMMIT = "commit"  # ("commit",): commit, answer, exit
ROLLBACK = "rollback"  # ("rollback",): drop everything added, exit


def main(conn, search_dir: str, heap_bytes: int, threads: int, wait_s: float) -> None:
    try:
        import tantivy  # the child's own imports: it starts from a fresh interpreter (spawn)

        from . import engine  # loaded in the child only (spawn): the parent's start-up stays light
        from .rows import document_fields  # the same: the child's own imports

        try:
            cm = engine.writer(search_dir, heap_bytes=heap_bytes, threads=threads, wait_s=wait_s)
            w = cm.__enter__()
        except engine.IndexBusy as exc:
            conn.send(("busy", str(exc)))
            return
        conn.send(("ready",))
        while True:
            message = conn.recv()
            kind = message[0]
            if kind == ADD:
                _, rows, fields = message
                for row in rows:
                    w.add_document(engine.make_document(document_fields(row)))
                for values in fields:
                    w.add_document(engine.make_document(values))
                conn.send(("done",))
            elif kind == REPLACE:
                _, ids, rows = message
                w.delete_documents_by_query(tantivy.Query.term_set_query(engine.SCHEMA, "id", ids))
                for row in rows:
                    w.add_document(engine.make_document(document_fields(row)))
            elif kind == COMMIT:
                cm.__exit__(None, None, None)  # commit, wait for merges, release the lock
                conn.send(("committed",))
                return
            else:  # ROLLBACK, or the parent is gone
                cm.__exit__(RuntimeError, RuntimeError("import rolled back"), None)
                return
    except EOFError:
        return  # the parent died: the uncommitted session is dropped with this process
    except BaseException:
        try:
            conn.send(("error", traceback.format_exc()))
        except OSError:
            pass
    finally:
        conn.close()
