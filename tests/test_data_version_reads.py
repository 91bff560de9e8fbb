"""The data version's reads shared by the requests of a process (eventsapp/dataversion.py): a
request is answered only by a read that started after it arrived, never by the one under way
when it came (which may have missed a commit made just before); those that arrive during one
read share the next; a failed read is None for all who share it."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from eventsapp.dataversion import VersionReader
from eventsapp.extensions import db


def scripted_reader(results: list, first_read_waits: threading.Event, first_read_started: threading.Event):
    """A reader whose reads return `results` in turn (the real statement is tested with the
    pages, tests/test_public_page_cache.py); the first read waits until told to go on."""
    reader = VersionReader(db.engine, {})
    found, reads = iter(results), []

    def read_once():
        value = next(found)
        reads.append(value)
        if len(reads) == 1:
            first_read_started.set()
            assert first_read_waits.wait(10)
        return value

    reader.read_once = read_once
    return reader, reads


def test_requests_that_come_during_a_read_share_the_next_one(app):
    go_on, started = threading.Event(), threading.Event()
    reader, reads = scripted_reader([41, 42, 43], go_on, started)
    with ThreadPoolExecutor(6) as pool:
        early = pool.submit(reader.read)
        assert started.wait(10)
        late = [pool.submit(reader.read) for _ in range(5)]
        time.sleep(0.3)  # all five are waiting: the read under way started before they came
        assert not any(answer.done() for answer in late)
        go_on.set()
        assert early.result(timeout=10) == 41
        assert [answer.result(timeout=10) for answer in late] == [42] * 5
    assert reads == [41, 42]  # five requests, one read
    assert reader.read() == 43  # a request after it all reads again: nothing is kept by time
    reader.engine.dispose()


def test_a_failed_read_is_none_for_everyone_who_shared_it(app):
    go_on, started = threading.Event(), threading.Event()
    reader, reads = scripted_reader([7, None, 9], go_on, started)
    with ThreadPoolExecutor(4) as pool:
        early = pool.submit(reader.read)
        assert started.wait(10)
        late = [pool.submit(reader.read) for _ in range(3)]
        time.sleep(0.3)
        go_on.set()
        assert early.result(timeout=10) == 7
        assert [answer.result(timeout=10) for answer in late] == [None] * 3  # their pages are rendered
    assert reader.read() == 9
    assert reads == [7, None, 9]
    reader.engine.dispose()


def test_a_read_that_raises_lets_the_next_request_read(app):
    reader = VersionReader(db.engine, {})
    calls = []

    def read_once():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the driver broke")
        return 5

    reader.read_once = read_once
    try:
        reader.read()
    except RuntimeError:
        pass
    else:
        raise AssertionError("the error was swallowed")
    assert reader.read() == 5  # no request is left waiting for a read nobody makes
    reader.engine.dispose()
