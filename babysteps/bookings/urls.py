from django.urls import path

from babysteps.bookings import views

app_name = "bookings"
urlpatterns = [
    path("availability/", views.availability, name="availability"),
    path(
        "availability/<int:availability_id>/remove/",
        views.availability_remove,
        name="availability_remove",
    ),
    path("families/<int:family_id>/book/", views.book, name="book"),
    path("<int:booking_id>/", views.detail, name="detail"),
    path("<int:booking_id>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("<int:booking_id>/no-show/", views.no_show, name="no_show"),
    path("<int:booking_id>/interpreter/", views.interpreter, name="interpreter"),
    path("<int:booking_id>/calendar.ics", views.calendar_file, name="calendar"),
]
