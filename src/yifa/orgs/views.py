from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from yifa.core.errors import DomainError, StaleVersion
from yifa.core.navigation import may_use, require_module
from yifa.core.viewkit import ScopedDetailView, ScopedListView, ServiceFormView

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


def _refusal(exc) -> DomainError:
    """A service's refusal as a DomainError for the form: a model's ValidationError keeps
    its field messages, a refusal of authority or a stale edit its sentence."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        fields = exc.message_dict
        other = [m for f, msgs in fields.items() if f not in _FORM_FIELDS for m in msgs]
        return DomainError("；".join(other) or "请按提示修改后再保存。", fields)
    if isinstance(exc, ValidationError):
        return DomainError("；".join(exc.messages))
    return DomainError(getattr(exc, "message", None) or str(exc))


_FORM_FIELDS = set(OrganizationForm.base_fields) | set(UserForm.base_fields)


class _AdminForm(ServiceFormView):
    """The administrator's forms for units and accounts (create, or edit `<pk>`)."""

    def has_permission(self):
        return _is_admin(self.request.user)

    def get_form_kwargs(self):
        # the initial values on a POST too: a disabled field (the username once created) reads them
        return {**super().get_form_kwargs(), "initial": self.get_initial()}

    def perform(self, form):
        try:
            return self.save(dict(form.cleaned_data))
        except (ValidationError, PermissionDenied, StaleVersion) as exc:
            raise _refusal(exc) from exc


class OrgCreate(_AdminForm):
    form_class = OrganizationForm
    title = "新增单位"
    cancel_url_name = "orgs:org_list"
    success_message = "单位信息已保存。"
    permission_denied_message = "只有系统管理员可以管理单位。"

    def get_initial(self):
        return {"parent": self.request.GET["parent"]} if self.request.GET.get("parent") else {}

    def save(self, data):
        data.pop("version")
        data["sort_order"] = data.get("sort_order") or 0
        return services.create_organization(actor=self.request.user, **data)

    def get_success_url(self, org):
        return reverse("orgs:org_detail", args=[org.pk])


class OrgEdit(OrgCreate):
    model = Organization
    title = "编辑单位"

    def get_initial(self):
        org = self.object
        initial = {f: getattr(org, f) for f in ("name", "short_name", "code", "kind", "head_name", "phone",
                                                "sort_order", "is_active", "version")}
        return {**initial, "parent": org.parent}

    def save(self, data):
        version = data.pop("version")
        data["sort_order"] = data.get("sort_order") or 0
        return services.update_organization(actor=self.request.user, org=self.object, expected_version=version, **data)


class UserCreate(_AdminForm):
    form_class = UserForm
    title = "新增账号"
    cancel_url_name = "orgs:user_list"
    success_message = "账号已保存。"
    permission_denied_message = "只有系统管理员可以管理账号。"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "creating": self.object is None}

    def save(self, data):
        data.pop("version")
        password, roles = data.pop("password"), data.pop("roles")
        data.pop("is_active", None)
        return services.create_user(actor=self.request.user, roles=roles, password=password, **data)

    def get_success_url(self, user):
        return reverse("orgs:user_detail", args=[user.pk])


class UserEdit(UserCreate):
    model = User
    title = "编辑账号"

    def get_initial(self):
        target = self.object
        initial = {f: getattr(target, f) for f in ("username", "display_name", "post", "phone", "email",
                                                   "is_active", "version")}
        return {**initial, "org": target.org, "roles": sorted(target.roles)}

    def save(self, data):
        version = data.pop("version")
        password, roles = data.pop("password"), data.pop("roles")
        data.pop("username", None)
        target = services.update_user(actor=self.request.user, user=self.object, roles=roles,
                                      expected_version=version, **data)
        if password:
            services.set_password(actor=self.request.user, user=target, password=password)
        return target


org_create = OrgCreate.as_view()
org_edit = OrgEdit.as_view()
user_create = UserCreate.as_view()
user_edit = UserEdit.as_view()
