from django import forms

from aims.orgs.permissions import ROLE_HELP, Role

ROLE_CHOICES = [(r.value, f"{r.label} — {ROLE_HELP[r]}") for r in Role]


class MemberAddForm(forms.Form):
    email = forms.EmailField(label="E-mail address",
                             help_text="The person must already have an aims account.")
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Role.VIEWER,
                             help_text="What they may do in this organisation.")


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label="Role")
    version = forms.IntegerField(widget=forms.HiddenInput)


class OrgCreateForm(forms.Form):
    name = forms.CharField(max_length=200, label="Organisation name",
                           help_text="The legal or trading name, e.g. a client you advise.")
    slug = forms.SlugField(max_length=50, label="Short name in addresses",
                           help_text="Lowercase letters, digits and hyphens; used in links "
                                     "such as /o/<short-name>/. Cannot be changed later.")


class SecurityForm(forms.Form):
    require_mfa = forms.BooleanField(
        required=False, label="Require two-factor authentication for every member",
        help_text="Members without an authenticator app are sent to set one up before they "
                  "can open this organisation, and its API refuses their calls until they "
                  "have. Set one up on your own account first.")
    version = forms.IntegerField(widget=forms.HiddenInput)
