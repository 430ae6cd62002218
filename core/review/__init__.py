"""The reviewer's desk: decisions on findings (append-only events) and the reviewed view."""
