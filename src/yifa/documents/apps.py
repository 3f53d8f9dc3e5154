from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "yifa.documents"
    label = "documents"
    verbose_name = "公文"
