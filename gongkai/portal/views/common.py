from django.conf import settings

from gongkai.core import pagecache

# Public pages may be cached by browsers and proxies for this long, so load spikes do not
# reach the application; a minute keeps the guide and the catalogue "always current" enough.
PUBLIC_MAX_AGE = getattr(settings, "GONGKAI_PUBLIC_MAX_AGE", 60)

# GET/HEAD only; public Cache-Control, ETag/Last-Modified and 304s, and a server-side copy
# invalidated by every audited change (gongkai/core/pagecache.py).
public_page = pagecache.public_page
