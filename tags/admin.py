from django.contrib import admin
from taggit.models import Tag as TaggitTag

# Our translated tags.Tag replaces taggit's own tag model in the admin.
admin.site.unregister(TaggitTag)
