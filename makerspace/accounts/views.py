from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from makerspace.credit.selectors import check_r8_credit

from .forms import RegistrationForm
from .services import organisation_register


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = organisation_register(form=form)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("注册成功，欢迎您，{user}。请先创建众创空间，再开始申报。").format(user=user)
        )
        credit = check_r8_credit(user.organisation)
        if not credit.clean:
            messages.warning(request, credit.refusal("registration"))
        return redirect("core:home")
    return render(request, "accounts/register.html", {"form": form})
