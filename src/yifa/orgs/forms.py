from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from .models import Organization, OrgKind, Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续多次错误将被暂时锁定。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control"


class OrganizationForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=40, required=False)
    code = forms.CharField(label="单位代码", max_length=32)
    kind = forms.ChoiceField(label="单位类型", choices=OrgKind.choices)
    parent = forms.ModelChoiceField(label="上级单位", queryset=Organization.objects.none())
    head_name = forms.CharField(label="负责人", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    sort_order = forms.IntegerField(label="排序", initial=0, required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Organization.objects.visible_to(user)


class UserForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=40)
    org = forms.ModelChoiceField(label="所属单位", queryset=Organization.objects.none())
    roles = forms.MultipleChoiceField(label="角色", choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    post = forms.CharField(label="职务", max_length=40, required=False)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, required=False,
                               help_text="新建账号时必填；至少10位，不能过于简单。")
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, creating, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Organization.objects.visible_to(user)
        self.fields["password"].required = creating
        if not creating:
            self.fields["username"].disabled = True


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's form (old password checked, validators as configured) with Chinese words."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields["new_password2"].help_text = "修改后，本人的全部 API 令牌随之作废，当前登录保持有效。"


class TokenRequestForm(forms.Form):
    name = forms.CharField(label="用途", max_length=60, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "例如：数据对接脚本"}))
