from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yifa.core.errors import StaleVersion
from yifa.core.navigation import may_use, require_module
from yifa.core.views import ScopedDetailView, ScopedListView

from . import selectors, services
from .filters import OrganizationFilter, UserFilter
from .forms import LoginForm, OrganizationForm, OwnPasswordChangeForm, TokenRequestForm, UserForm
from .models import Organization, Role, User
from .tables import OrganizationTable, UserTable


class LoginView(auth_views.LoginView):
    template_name = "orgs/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        if getattr(self.request, "yifa_spray_blocked", False):
            from .login_guard import block_message

            return self.render_to_response(self.get_context_data(form=form, lockout_message=block_message()),
                                           status=429)
        return super().form_invalid(form)


def lockout(request, credentials=None, *args, **kwargs):
    """django-axes calls this when username+IP has failed too often."""

    minutes = int(round(settings.AXES_COOLOFF_TIME * 60))
    message = f"登录失败次数过多，该账号在本机已被暂时锁定，请 {minutes} 分钟后再试，或联系系统管理员解锁。"
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"code": "locked_out", "message": message, "fields": {}}, status=429)
    form = LoginForm(request)
    return render(request, "orgs/login.html", {"form": form, "lockout_message": message}, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Self-service password change: the old password, the configured validators; the
    account's API tokens end, the current session stays signed in."""

    form_class = OwnPasswordChangeForm
    template_name = "core/form.html"
    extra_context = {"title": "修改密码"}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cancel_url"] = reverse("account:tokens")
        ctx["submit_label"] = "修改密码"
        return ctx

    def form_valid(self, form):
        user = self.request.user
        services.set_password(actor=user, user=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "密码已修改。您的 API 令牌已全部作废，如有脚本在用请重新申请。")
        return redirect("account:tokens")


@login_required
def account_tokens(request):
    """The user's own account page: their API tokens (issue one, revoke one) and a link to
    change the password. Only the owner sees or touches their tokens."""
    new_key = None
    form = TokenRequestForm()
    if request.method == "POST":
        if request.POST.get("op") == "revoke":
            raw = request.POST.get("token", "")
            token = selectors.tokens_of(request.user).filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 16 else None
            if token is None:
                messages.error(request, "没有找到该令牌。")
            else:
                services.revoke_token(actor=request.user, token=token)
                messages.success(request, f"令牌 {token.prefix}… 已撤销。")
            return redirect("account:tokens")
        form = TokenRequestForm(request.POST)
        if form.is_valid():
            token, new_key = services.issue_token(actor=request.user, user=request.user,
                                                  name=form.cleaned_data["name"])
            form = TokenRequestForm()
    return render(request, "orgs/account.html", {
        "title": "我的账号", "tokens": selectors.tokens_of(request.user)[:100], "form": form, "new_key": new_key,
        "token_days": settings.YIFA_API_TOKEN_DAYS})


def _is_admin(user):
    return user.has_role(Role.ADMIN)


class OrganizationListView(ScopedListView):
    title = "组织机构"
    filterset_class = OrganizationFilter
    table_class = OrganizationTable
    create_url_name = "orgs:org_create"

    def get_base_queryset(self):
        return selectors.organizations_visible_to(self.request.user)

    def can_create(self):
        return _is_admin(self.request.user)


class OrganizationDetailView(ScopedDetailView):
    model = Organization
    template_name = "orgs/org_detail.html"
    select_related = ("parent",)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = ctx["object"]
        ctx["children"] = org.children.all().order_by("sort_order", "path")
        ctx["members"] = selectors.users_visible_to(self.request.user).filter(org=org)[:100]
        ctx["members_linked"] = may_use(self.request.user, "orgs:user_list")
        ctx["can_edit"] = _is_admin(self.request.user)
        return ctx


class UserListView(ScopedListView):
    title = "人员账号"
    filterset_class = UserFilter
    table_class = UserTable
    create_url_name = "orgs:user_create"

    def get_base_queryset(self):
        require_module(self.request.user, "orgs:user_list")
        return selectors.users_visible_to(self.request.user)

    def can_create(self):
        return _is_admin(self.request.user)


class UserDetailView(ScopedDetailView):
    model = User
    template_name = "orgs/user_detail.html"
    select_related = ("org",)

    def get_object(self):
        require_module(self.request.user, "orgs:user_list")
        return super().get_object()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = _is_admin(self.request.user)
        return ctx


def _apply_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def org_edit(request, pk=None):
    if not _is_admin(request.user):
        raise PermissionDenied("只有系统管理员可以管理单位。")
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk) if pk else None
    initial = {}
    if org:
        initial = {f: getattr(org, f) for f in ("name", "short_name", "code", "kind", "head_name", "phone",
                                                  "sort_order", "is_active", "version")}
        initial["parent"] = org.parent
    elif request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
    form = OrganizationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = data.pop("version")
        data["sort_order"] = data.get("sort_order") or 0
        try:
            if org:
                org = services.update_organization(actor=request.user, org=org, expected_version=version, **data)
            else:
                org = services.create_organization(actor=request.user, **data)
        except (ValidationError, PermissionDenied, StaleVersion) as exc:
            if isinstance(exc, ValidationError):
                _apply_errors(form, exc)
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(request, "单位信息已保存。")
            return redirect("orgs:org_detail", pk=org.pk)
    return render(request, "core/form.html", {"form": form, "title": "编辑单位" if org else "新增单位",
                                              "cancel_url": reverse("orgs:org_list")})


@login_required
def user_edit(request, pk=None):
    if not _is_admin(request.user):
        raise PermissionDenied("只有系统管理员可以管理账号。")
    target = get_object_or_404(User.objects.visible_to(request.user), pk=pk) if pk else None
    initial = {}
    if target:
        initial = {f: getattr(target, f) for f in ("username", "display_name", "post", "phone", "email",
                                                     "is_active", "version")}
        initial.update(org=target.org, roles=sorted(target.roles))
    form = UserForm(request.POST or None, user=request.user, creating=target is None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = data.pop("version")
        password = data.pop("password")
        roles = data.pop("roles")
        try:
            if target:
                data.pop("username", None)
                target = services.update_user(actor=request.user, user=target, roles=roles,
                                              expected_version=version, **data)
                if password:
                    services.set_password(actor=request.user, user=target, password=password)
            else:
                data.pop("is_active", None)
                target = services.create_user(actor=request.user, roles=roles, password=password, **data)
        except (ValidationError, PermissionDenied, StaleVersion) as exc:
            if isinstance(exc, ValidationError):
                _apply_errors(form, exc)
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(request, "账号已保存。")
            return redirect("orgs:user_detail", pk=target.pk)
    return render(request, "core/form.html", {"form": form, "title": "编辑账号" if target else "新增账号",
                                              "cancel_url": reverse("orgs:user_list")})


# Function views with an id in the URL declare their model for the scoping walk.
org_edit.scoped_model = Organization
user_edit.scoped_model = User
