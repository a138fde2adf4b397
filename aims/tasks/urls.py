from django.urls import path

from aims.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_board, name="board"),
    path("mine/", views.my_tasks, name="mine"),
    path("new/", views.task_create, name="create"),
    path("new/records/", views.subject_options, name="subject_options"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_feed, name="calendar_feed"),
    path("<uuid:task_id>/", views.task_detail, name="detail"),
    path("<uuid:task_id>/edit/", views.task_edit, name="edit"),
    path("<uuid:task_id>/complete/", views.task_complete, name="complete"),
    path("<uuid:task_id>/start/", views.task_start, name="start"),
    path("<uuid:task_id>/reopen/", views.task_reopen, name="reopen"),
    path("<uuid:task_id>/cancel/", views.task_cancel, name="cancel"),
    path("<uuid:task_id>/answer/", views.task_answer, name="answer"),
    path("<uuid:task_id>/delete/", views.task_delete, name="delete"),
]
