"""How a return photo is served, by the order backend and by the agents' desk alike: as an
inert image. Always a JPEG (the backend re-encoded it as one), never sniffed as anything else,
never a page (no script, no form, even opened on its own in a tab), never kept by a cache.

    Response(jpeg, media_type=MEDIA_TYPE, headers=HEADERS)
"""
MEDIA_TYPE = "image/jpeg"
HEADERS = {"X-Content-Type-Options": "nosniff", "Content-Disposition": 'inline; filename="photo.jpg"',
           "Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "private, no-store"}
