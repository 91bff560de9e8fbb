"""Which requests are a person looking at a page, told from the User-Agent header alone.

Search engines, link previews (LINE, Slack, Teams…), monitors, mail scanners that open
every link of a mail, and scripts announce themselves in their user agent; the patterns of
crawlerdetect (a port of the maintained Crawler-Detect list) recognise them. A request with
no user agent at all is not a browser either. Both counters (pageviews/, viewing/) ask here,
so a bot is the same thing for both."""
from crawlerdetect import CrawlerDetect

# One detector for the process: it compiles its patterns once and caches recent answers.
# Its only per-call state (the last match) is never read here, so threads may share it.
_DETECTOR = CrawlerDetect()
MAX_USER_AGENT = 512  # longer headers are cut before matching: a browser's is far shorter


def is_person(user_agent: str | None, *, purpose: str | None = "") -> bool:
    """Whether a request is counted as a person's visit: a user agent that is not empty and
    not a known bot, and no prefetch. `purpose` is the request's Sec-Purpose (or Purpose)
    header: a browser fetching a page ahead of a click that may never come (link prefetch,
    speculation rules' `prefetch;prerender`) says so there."""
    agent = (user_agent or "").strip()[:MAX_USER_AGENT]
    if not agent or "prefetch" in (purpose or "").lower():
        return False
    return not _DETECTOR.is_crawler(agent)
