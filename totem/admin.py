from django.contrib import admin

admin.site.site_header = "Totem administration"
admin.site.site_title = "Totem admin"
admin.site.index_title = "Templates, organisations and people"
