from django import forms


class VoidForm(forms.Form):
    reason = forms.CharField(label="作废原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="作废后文号不再使用，原文件保留备查。")
