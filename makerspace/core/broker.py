"""The Redis transport of Celery with redis-py's own retries turned off.

redis-py retries a refused or timed-out connection three times with back-off (about 5 s when
refused, 4 × BROKER_CONNECT_TIMEOUT and more when the host does not answer). kombu already decides
when to reconnect, and a request publishing to the outbox must learn within one connect timeout
that the broker is down, so the entry stays pending and the request answers at once."""

from kombu.transport import redis as kombu_redis
from redis.backoff import NoBackoff
from redis.retry import Retry


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous=False):
        params = super()._connparams(asynchronous=asynchronous)
        params["retry"] = Retry(NoBackoff(), 0)
        return params


class Transport(kombu_redis.Transport):
    Channel = Channel
