from django.contrib import admin

from babysteps.videos.models import Video, VideoVersion


class VersionInline(admin.TabularInline):
    model = VideoVersion
    extra = 0
    fields = ("number", "content_type", "size_bytes", "duration_seconds", "note", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    """Read-mostly: uploads and publishing go through the library pages, which check
    the files; the admin is for looking things up."""

    list_display = ["title", "component", "site", "language", "order", "status"]
    list_filter = ["status", "component", "site"]
    readonly_fields = ["current_version", "status", "published_at", "retired_at", "created_by"]
    inlines = [VersionInline]
