from django.dispatch import Signal

# Sent once a story is live for readers (now, or when its scheduled time has
# come and publish_scheduled has run); cache and search receivers purge and
# index it. Arguments: article_id.
article_went_live = Signal()
