"""Pages of the documents app: list, detail (with timeline), verified download, void."""

import io
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from yifa.core.errors import DomainError
from yifa.core.viewkit import ScopedDetailView, ScopedListView, ServiceFormView

from . import selectors, services
from .content import OfficialContent
from .filters import IssuedDocumentFilter
from .forms import VoidForm
from .models import IssuedDocument
from .tables import IssuedDocumentTable, status_badge

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_filename(name: str) -> str:
    return _UNSAFE.sub("_", name).strip()[:180] or "document"


def file_response(document: IssuedDocument, fmt: str, data: bytes, *, inline: bool = False) -> FileResponse:
    filename = safe_filename(f"{document.doc_number} {document.title}") + f".{fmt}"
    resp = FileResponse(io.BytesIO(data), content_type=CONTENT_TYPES[fmt], as_attachment=not inline,
                        filename=filename)
    resp["Content-Length"] = str(len(data))
    resp["X-Content-SM3"] = document.file_info(fmt)[1]
    resp["Cache-Control"] = "private, no-store"
    return resp


def verified_or_refused(request, document: IssuedDocument, fmt: str) -> bytes:
    """The verified bytes; on a failed check the refusal is audited and re-raised."""
    try:
        return selectors.verified_file(document, fmt)
    except selectors.FileIntegrityError as exc:
        services.record_integrity_failure(actor=request.user, document=document, fmt=fmt,
                                          problem=exc.fields.get("file", ""))
        raise


class DocumentListView(ScopedListView):
    title = "公文"
    filterset_class = IssuedDocumentFilter
    table_class = IssuedDocumentTable

    def get_base_queryset(self):
        return selectors.documents_visible_to(self.request.user)


class DocumentDetailView(ScopedDetailView):
    model = IssuedDocument
    template_name = "documents/document_detail.html"
    select_related = ("org", "created_by", "voided_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        doc = ctx["object"]
        content = OfficialContent.from_dict(doc.content)
        ctx.update(title=str(doc), content=content, status_badge=status_badge(doc.status),
                   owner=selectors.owner_of(doc, self.request.user),
                   can_void=not doc.is_void and self.request.user.has_role(*services.VOID_ROLES))
        return ctx


def serve_document(request, document: IssuedDocument, fmt: str):
    """Serve a document the caller has already found visible: the file only if its SM3 still
    matches; otherwise the refusal is audited and answered 409. Other apps' download views
    (a review item's 意见书, a supervision letter) call this too."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    if not document.has_files:
        raise Http404("该公文为登记的系统外公文，系统中没有电子文件。")
    try:
        data = verified_or_refused(request, document, fmt)
    except selectors.FileIntegrityError as exc:
        return render(request, "documents/integrity_error.html",
                      {"title": "公文文件校验失败", "object": document, "message": exc.message}, status=409)
    return file_response(document, fmt, data, inline=request.GET.get("inline") == "1" and fmt == "pdf")


def record_document_view(model, missing: str):
    """The download view of a record's issued document (`<pk>/download/<fmt>/`: a letter's
    意见书, a notice, a recommendation): 404 unless the record is visible to the user and
    has a document in that format; the file is served verified (`serve_document`)."""

    @login_required
    def view(request, pk, fmt):
        obj = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
        if fmt not in ("docx", "pdf") or not obj.document_id:
            raise Http404(missing)
        return serve_document(request, obj.document, fmt)

    view.scoped_model = model
    return view


@login_required
def download(request, pk, fmt):
    """The docx or pdf of a visible document, only if its SM3 still matches (else 409)."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    document = get_object_or_404(IssuedDocument.objects.visible_to(request.user), pk=pk)
    return serve_document(request, document, fmt)


download.scoped_model = IssuedDocument


class VoidView(ServiceFormView):
    """作废 a visible document: its number is never used again (asked first, in words)."""

    model = IssuedDocument
    form_class = VoidForm
    form_takes_user = False
    submit_label = "作废"
    permission_denied_message = "您没有作废公文的权限。"
    confirm = "将作废本公文，文号不再使用，此操作不可撤回（原文件保留备查）。"

    def has_permission(self):
        return self.request.user.has_role(*services.VOID_ROLES)

    def get_title(self):
        return f"作废公文：{self.object}"

    def get_cancel_url(self):
        return reverse("documents:detail", args=[self.object.pk])

    def perform(self, form):
        try:
            return services.void_document(actor=self.request.user, document=self.object,
                                          reason=form.cleaned_data["reason"])
        except PermissionDenied as exc:  # the unit's own rule: refused on the form, in words
            raise DomainError(str(exc) or self.permission_denied_message) from exc

    def get_success_message(self, document):
        return f"已作废：{self.object.doc_number}。该文号不再使用。"

    def get_success_url(self, document):
        return self.get_cancel_url()


void = VoidView.as_view()
