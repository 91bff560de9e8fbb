"""gunicorn's logger with the secret path segments masked (logmask.py).

Used as `gunicorn --logger-class eventsapp.gunicorn_logging.Logger …` (README, Deployment):
every access-log field (request line, path, Referer, Location, any header) and every
error-log line passes through mask_secrets()."""
from gunicorn.glogging import Logger as GunicornLogger

from .logmask import add_filter_once, mask_secrets


class Logger(GunicornLogger):
    def setup(self, cfg) -> None:
        super().setup(cfg)
        add_filter_once(self.error_log)

    def atoms(self, resp, req, environ, request_time) -> dict:
        return {name: mask_secrets(value) if isinstance(value, str) else value
                for name, value in super().atoms(resp, req, environ, request_time).items()}
