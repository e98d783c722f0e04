// The 納品書 print page: the toolbar's button prints (the toolbar itself is not printed).
document.addEventListener("click", (e) => {
  if (e.target.closest("[data-print]")) window.print();
});
