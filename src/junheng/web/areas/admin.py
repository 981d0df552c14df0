from django.contrib import admin

from junheng.web.areas.models import Area, Profile, School


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    search_fields = ("code", "name")
    list_filter = ("level",)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("school_id", "name", "county", "township", "school_type")
    search_fields = ("school_id", "name")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "area", "school")
    list_filter = ("role",)
    autocomplete_fields = ("area", "school")
