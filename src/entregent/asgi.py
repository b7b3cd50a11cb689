import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entregent.settings")
# WhiteNoise and the media view stream files from synchronous iterators; Django reads them in a
# thread under ASGI, which is what we want for local files, so its reminder is only noise.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
application = get_asgi_application()

from entregent.network import graph  # noqa: E402 (after Django is set up)

graph.warm_in_background()
